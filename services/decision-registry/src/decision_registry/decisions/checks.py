"""The rules every whole decision satisfies, created or restated (D-13 settles them)."""

from __future__ import annotations

from datetime import date

from decision_registry.decisions import rules
from decision_registry.decisions.schemas import DecisionInput
from decision_registry.reference import medical_vocabulary
from decision_registry.refunds.service import assess_refund


def assess_input(request: DecisionInput) -> rules.RefundAssessment:
    """D-12 for a filed decision: the same function the simulation answers from."""
    return assess_refund(
        ssin=request.ssin,
        category=request.category,
        insurable=request.insurable,
        income_above_living_wage=request.income_above_living_wage,
        affiliated_to_fund=request.affiliated_to_fund,
    )


def whole_decision_findings(
    request: DecisionInput,
    *,
    refund: rules.RefundAssessment,
    urgent_aid_period_start: date | None,
    today: date,
) -> list[rules.RuleFinding]:
    """Every rule a whole decision (created or replaced) must satisfy, errors and warnings."""
    extension = request.insurability_extension
    return [
        *rules.check_coverage_shape(request.period, request.coverages),
        *rules.check_principle_decision_d02(request.coverages),
        *rules.check_court_reference_d04(
            court_decision=request.court_decision,
            court_decision_reference=request.court_decision_reference,
        ),
        *rules.check_care_start_d05(
            decision_date=request.decision_date,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_hospital_pairing_d06(request.coverages),
        *rules.check_within_death_window_d07(
            death_date=request.person.death_date,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_urgent_aid_period_d10(
            urgent_aid_period_start=urgent_aid_period_start,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_social_inquiry_date_d10(inquiry_date=request.social_inquiry_date, today=today),
        *rules.check_insurability_d11(
            category=request.category,
            insurable=request.insurable,
            affiliated_to_fund=request.affiliated_to_fund,
            insurable_since=request.insurable_since,
            extension=extension,
            period=request.period,
            today=today,
        ),
        *rules.check_comment_d15(request.comment, medical_vocabulary()),
        *rules.check_comment_d15(
            extension.explanation if extension is not None else None,
            medical_vocabulary(),
            field="insurability_extension.explanation",
        ),
    ]
