"""Decision rules, pure: no session, no clock. Issue 3 completes D-01..D-15."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.errors import Forbidden, NotFound


@dataclass(frozen=True)
class ShareRule:
    insurance_part_pct: int
    patient_share_pct: int


@dataclass(frozen=True)
class RefundAssessment:
    """D-12: what the state pays for a person's situation."""

    refund_code: int
    hospitalisation: ShareRule
    ambulatory_in_hospital: ShareRule
    outside_hospital: ShareRule
    urgent_medical_aid: bool


_FULL = ShareRule(insurance_part_pct=100, patient_share_pct=100)
_COPAYMENT_ONLY = ShareRule(insurance_part_pct=0, patient_share_pct=100)
_NOTHING = ShareRule(insurance_part_pct=0, patient_share_pct=0)


def assess_refund(
    *, category: str, insurable: bool, income_above_living_wage: bool
) -> RefundAssessment:
    """D-12 (walking-skeleton policy): the uninsured needy get the full legal fee from the state."""
    if income_above_living_wage:
        return RefundAssessment(9, _NOTHING, _NOTHING, _NOTHING, urgent_medical_aid=False)
    if category == "insured_needy" or insurable:
        return RefundAssessment(
            3, _COPAYMENT_ONLY, _COPAYMENT_ONLY, _COPAYMENT_ONLY, urgent_medical_aid=False
        )
    urgent = category == "no_legal_residence"
    return RefundAssessment(1 if urgent else 2, _FULL, _FULL, _FULL, urgent_medical_aid=urgent)


def check_ownership_d14(*, owner: str, caller: str) -> None:
    """D-14: only the owning OCMW may act on a decision."""
    if owner != caller:
        raise Forbidden.for_rule(
            "D-14", "decision.not_owner", "Only the OCMW that owns a decision may change it"
        )


def hide_unless_owner_d14(*, owner: str, caller: str | None, decision_number: str) -> None:
    """D-14 on reads: another OCMW's decision does not exist for the caller."""
    if caller is not None and owner != caller:
        raise NotFound.for_rule(
            "D-14", "decision.not_found", f"Decision {decision_number} not found"
        )
