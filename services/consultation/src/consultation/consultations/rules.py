"""Consultation rules C-01 .. C-03, pure: no session, no clock (`today` is passed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mediprima_contracts.components import Coverage, DecisionStatus, Finding
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import InvalidValue, RizivNumber
from servicekit.errors import Forbidden

GUARANTEE_DAYS = 30


def _finding(rule: str, code: str, message: str) -> Finding:
    return Finding(rule=rule, code=code, message=message)


@dataclass(frozen=True)
class CoverageAnswer:
    """C-01: what a provider learns about a person on a date.

    `decision` is the decision the answer is about: the covering one, or the one that explains
    why the person is not covered (suspended, stopped, no cover for the care type...).
    """

    decision: DecisionVersionPublished | None
    coverages: list[Coverage]
    reasons: list[Finding] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.coverages)

    @property
    def certificate_required(self) -> bool:
        """C-04: urgent medical aid only, so every care needs a DMH certificate."""
        return self.covered and self.decision is not None and self.decision.urgent_medical_aid


# Why a decision does not cover, most telling first: when no decision covers, the answer
# explains with the most specific reason any decision gives.
_REASON_PRIORITY = (
    "decision.suspended",
    "decision.stopped",
    "person.deceased",
    "decision.principle",
    "cover.absent",
    "cover.not_active",
    "decision.not_in_force",
)


def answer_coverage_c01(
    decisions: Sequence[DecisionVersionPublished],
    *,
    on: date,
    care_type: str | None,
    ssin: str | None = None,
) -> CoverageAnswer:
    """C-01: the decision covering the person on `on` (for `care_type`), with its covers in force.

    `decisions` are the current versions of the person's decisions. A decision whose current
    version carries another SSIN (a BIS number replaced, D-08) no longer answers for `ssin`.
    """
    own = [decision for decision in decisions if ssin is None or decision.ssin == ssin]
    if not own:
        if decisions:
            return CoverageAnswer(
                decision=None,
                coverages=[],
                reasons=[
                    _finding(
                        "C-01",
                        "person.ssin_replaced",
                        "The person's SSIN was replaced; consult with the new number",
                    )
                ],
            )
        return CoverageAnswer(
            decision=None,
            coverages=[],
            reasons=[_finding("C-01", "decision.none", "No OCMW decision for this person")],
        )
    answers = [_answer_one(decision, on=on, care_type=care_type) for decision in _ranked(own)]
    covering = [answer for answer in answers if answer.covered]
    if covering:
        return covering[0]
    explained = min(answers, key=lambda answer: _REASON_PRIORITY.index(answer.reasons[0].code))
    if explained.reasons[0].code == "decision.not_in_force":
        return CoverageAnswer(decision=None, coverages=[], reasons=explained.reasons)
    return explained


def _ranked(decisions: Sequence[DecisionVersionPublished]) -> list[DecisionVersionPublished]:
    """Active decisions first, then the most recent period; the number settles ties."""
    return sorted(
        decisions,
        key=lambda decision: (
            decision.status != DecisionStatus.ACTIVE,
            -decision.period.start.toordinal(),
            decision.decision_number,
        ),
    )


def _answer_one(
    decision: DecisionVersionPublished, *, on: date, care_type: str | None
) -> CoverageAnswer:
    refused = _refusal(decision, on=on, care_type=care_type)
    if refused is not None:
        return CoverageAnswer(decision=decision, coverages=[], reasons=[refused])
    covers = [
        cover
        for cover in decision.coverages
        if cover.period.contains(on) and (care_type is None or cover.care_type == care_type)
    ]
    return CoverageAnswer(decision=decision, coverages=covers)


def _refusal(
    decision: DecisionVersionPublished, *, on: date, care_type: str | None
) -> Finding | None:
    stopped = decision.status == DecisionStatus.STOPPED
    if stopped and on >= decision.effective_from:
        return _status_finding_d08(decision)
    if not decision.period.contains(on):
        return _finding("C-01", "decision.not_in_force", f"No decision is in force on {on}")
    if decision.status == DecisionStatus.SUSPENDED and on >= decision.effective_from:
        return _status_finding_d08(decision)
    death_date = decision.person.death_date
    if death_date is not None and on > death_date:
        return _finding("C-01", "person.deceased", f"The person died on {death_date}")
    if not decision.coverages:
        return _finding(
            "D-02", "decision.principle", "A principle decision: no care is covered yet"
        )
    of_type = [
        cover for cover in decision.coverages if care_type is None or cover.care_type == care_type
    ]
    if not of_type:
        return _finding("C-01", "cover.absent", f"The decision does not cover {care_type}")
    if not any(cover.period.contains(on) for cover in of_type):
        return _finding("C-01", "cover.not_active", f"No cover is in force on {on}")
    return None


def _status_finding_d08(decision: DecisionVersionPublished) -> Finding:
    """D-08: a suspended or stopped decision covers nothing from the day the change takes
    effect (`effective_from`), and keeps covering before it: narrowing is never retroactive
    (D-03)."""
    if decision.status == DecisionStatus.SUSPENDED:
        return _finding(
            "D-08",
            "decision.suspended",
            f"The decision is suspended since {decision.effective_from}; contact the OCMW",
        )
    return _finding(
        "D-08", "decision.stopped", f"The decision was stopped from {decision.effective_from}"
    )


def agreement_valid_until_c02(consulted_on: date) -> date:
    """C-02: the payment guarantee lasts 30 days from the consultation."""
    return consulted_on + timedelta(days=GUARANTEE_DAYS)


def is_guaranteed_c02(*, covered: bool, valid_until: date | None, today: date) -> bool:
    """C-02: a covered consultation binds until its agreement's last day, included."""
    return covered and valid_until is not None and today <= valid_until


def guarantee_expired_c02(valid_until: date | None) -> Finding:
    if valid_until is None:
        return _finding("C-02", "agreement.not_covered", "The consultation gave no guarantee")
    return _finding("C-02", "agreement.expired", f"The guarantee ended on {valid_until}")


def identified_provider_c03(subject: str) -> RizivNumber:
    """C-03: only identified providers consult: the token's subject is a valid RIZIV number."""
    try:
        return RizivNumber(subject)
    except InvalidValue as exc:
        raise Forbidden.for_rule(
            "C-03", "consultation.provider_unidentified", "The caller is not a known provider"
        ) from exc


def check_may_consult_c03(*, is_doctor: bool, is_hospital: bool) -> None:
    """C-03: in this phase doctors (profession 1) and hospitals (710/720) may consult."""
    if not (is_doctor or is_hospital):
        raise Forbidden.for_rule(
            "C-03", "consultation.provider_not_allowed", "Only doctors and hospitals may consult"
        )


def audit_provider_scope_c03(*, is_operator: bool, caller: str, provider: str | None) -> str | None:
    """C-03: operators read every provider's consultations; a provider only its own."""
    if is_operator:
        return provider
    if provider is not None and provider != caller:
        raise Forbidden.for_rule(
            "C-03",
            "consultation.other_provider",
            "A provider sees only its own consultations",
            field="provider",
        )
    return caller
