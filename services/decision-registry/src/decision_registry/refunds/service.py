"""D-12 for decisions and simulations alike: one function, so a simulation never disagrees."""

from __future__ import annotations

from decision_registry.decisions import rules
from decision_registry.reference import CURRENT_REFUND_POLICY, refund_policy
from mediprima_contracts.components import Category, SharePercentages, StateShare
from mediprima_contracts.values import Ssin


def assess_refund(
    *,
    ssin: Ssin | None,
    category: Category,
    insurable: bool,
    income_above_living_wage: bool,
    affiliated_to_fund: bool,
    policy_version: str = CURRENT_REFUND_POLICY,
) -> rules.RefundAssessment:
    """The refund code and state share for a situation, under a policy table version."""
    situation = rules.situation_of_d12(
        ssin_is_bis=ssin is not None and ssin.is_bis,
        category=category,
        insurable=insurable,
        income_above_living_wage=income_above_living_wage,
        affiliated_to_fund=affiliated_to_fund,
    )
    return rules.assess_refund_d12(situation, refund_policy(policy_version))


def state_share_of(assessment: rules.RefundAssessment) -> StateShare:
    return StateShare(
        hospitalisation=_percentages(assessment.hospitalisation),
        ambulatory_in_hospital=_percentages(assessment.ambulatory_in_hospital),
        outside_hospital=_percentages(assessment.outside_hospital),
    )


def _percentages(share: rules.refund.Share) -> SharePercentages:
    return SharePercentages.model_validate(
        {
            "insurance_part_pct": share.insurance_part_pct,
            "patient_share_pct": share.patient_share_pct,
        }
    )
