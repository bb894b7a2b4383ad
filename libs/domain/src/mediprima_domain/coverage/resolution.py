"""Who covers this person, for this care, on this date: the one answer every service gives.

Consultation answers a provider with it (C-01), pricing prices and checks invoice lines on it
(T-06, I-02), and settlement books each paid line to the OCMW it names (through the verdict).
Their read models only feed it the person's decision history.

How a date is answered, per decision:
- the versions that apply on the day are those whose `effective_from` is on or before it;
- they are folded oldest first, each replacing the answer before it, except on days before the
  version's `narrowing_from` (the day it was filed): there a version only adds rights, so it
  replaces the answer only when it grants at least as much (D-03, manual 2.19: "Een
  retroactieve wijziging van de rechten van de beslissing kan enkel als het een verhoging van de
  rechten tot gevolg heeft."). A change that widens some rights and narrows others thus widens
  from the first widened day and narrows from the day it was filed; a reactivation restores the
  suspended days (D-08); a register mutation suspends from its own date.

Among decisions, the one that covers wins (D-14 lets one OCMW at a time cover a person; should
old data hold two, the most recent period wins, then the lower number); when none covers, the
most telling reason any of them gives.

Under a C-02 guarantee the version the provider consulted still pays after a narrowing: the
consulted answer is kept unless the current one covers at least as much.

For care within a hospital stay the OCMW competent on the admission day stays the one charged
for the whole stay (D-14; urgent-medical-aid text: "Bij een ziekenhuisopname blijft het
oorspronkelijk OCMW bevoegd voor gans de hospitalisatie.").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mediprima_contracts.components import (
    CareType,
    ChangeKind,
    Coverage,
    DecisionStatus,
    Finding,
    Ocmw,
)
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_domain.coverage.generosity import (
    cover_at_least_as_generous,
    state_terms_at_least_as_generous,
)
from mediprima_domain.coverage.history import DecisionHistory, VersionRef
from mediprima_domain.coverage.settings import CareSetting, setting_of

DEATH_WINDOW_DAYS = 5

NO_DECISION = Finding(rule="C-01", code="decision.none", message="No OCMW decision for this person")
NOT_IN_FORCE = Finding(
    rule="C-01", code="decision.not_in_force", message="No decision is in force on that date"
)
COVER_ABSENT = Finding(
    rule="C-01", code="cover.absent", message="The decision does not cover this care type"
)
COVER_NOT_ACTIVE = Finding(
    rule="C-01", code="cover.not_active", message="No cover of this care type is in force then"
)
PRINCIPLE = Finding(
    rule="D-02", code="decision.principle", message="A principle decision: no care is covered yet"
)
DECEASED = Finding(
    rule="D-07",
    code="person.deceased",
    message=f"The person died more than {DEATH_WINDOW_DAYS} days before that date",
)
SUSPENDED = Finding(
    rule="D-08",
    code="decision.suspended",
    message="The decision is suspended on that date; contact the OCMW",
)
STOPPED = Finding(rule="D-08", code="decision.stopped", message="The decision was stopped by then")
PROVIDER_NOT_IN_LIST = Finding(
    rule="T-06",
    code="provider.not_in_list",
    message="The cover names the providers who may give this care; this provider is not one",
)
NUMBER_REPLACED = Finding(
    rule="I-05b",
    code="beneficiary.number_replaced",
    message="The person's number was replaced: the card goes by the new number",
)

# Why a decision does not cover, most telling first.
_REASON_PRIORITY = [
    DECEASED.code,
    SUSPENDED.code,
    STOPPED.code,
    PRINCIPLE.code,
    PROVIDER_NOT_IN_LIST.code,
    COVER_ABSENT.code,
    COVER_NOT_ACTIVE.code,
    NOT_IN_FORCE.code,
]


@dataclass(frozen=True)
class CareQuestion:
    """What is asked: a person by one of their numbers, a day, and optionally more."""

    ssin: str
    on: date
    care_type: CareType | None = None
    """None asks about every care type (a consultation's overview)."""
    provider: str | None = None
    """The provider giving the care: a cover's closed provider list applies to it."""
    admission_date: date | None = None
    """For care within a hospital stay: the admission day (D-14)."""
    consulted: VersionRef | None = None
    """The version a still valid C-02 guarantee binds."""


@dataclass(frozen=True)
class CoverageAnswer:
    """The decision version that answers the question, the covers in force, or why not."""

    decision: DecisionVersionPublished | None
    covers: tuple[Coverage, ...] = ()
    refusal: Finding | None = None
    ocmw: Ocmw | None = None
    """The OCMW charged: the one competent for the decision on the day of care, or on the
    admission day for care within a hospital stay (D-14)."""
    person_id: str | None = None
    guaranteed: bool = False
    """Answered on the consulted version under a C-02 guarantee."""

    @property
    def covered(self) -> bool:
        return self.refusal is None and bool(self.covers)

    @property
    def cover(self) -> Coverage | None:
        return self.covers[0] if self.covers else None

    @property
    def certificate_required(self) -> bool:
        """C-04: urgent medical aid only, so each care needs a DMH certificate."""
        return self.covered and self.decision is not None and self.decision.urgent_medical_aid


def resolve_coverage(history: DecisionHistory, question: CareQuestion) -> CoverageAnswer:
    """The answer to `question` from every version of the person's decisions."""
    if history.empty:
        return CoverageAnswer(decision=None, refusal=NO_DECISION)
    answer = _answer(history, question)
    if answer.decision is not None:
        competence_day = question.admission_date or question.on
        versions = history.versions_of(answer.decision.decision_number)
        answer = replace(answer, ocmw=competent_ocmw_d14(versions, competence_day))
    return replace(answer, person_id=history.person_id)


def _answer(history: DecisionHistory, question: CareQuestion) -> CoverageAnswer:
    guaranteed = _guaranteed(history, question)
    if question.ssin in history.replaced_numbers:
        consulted = guaranteed.decision if guaranteed is not None else None
        if guaranteed is not None and consulted is not None and consulted.ssin == question.ssin:
            return guaranteed
        return CoverageAnswer(decision=None, refusal=NUMBER_REPLACED)
    current = _current(history, question)
    if guaranteed is not None and not _at_least_as_generous(current, guaranteed, question):
        return guaranteed
    return current


def _current(history: DecisionHistory, question: CareQuestion) -> CoverageAnswer:
    answers = [
        _in_force(versions, question, history.death_date) for versions in history.decisions()
    ]
    covering = [answer for answer in answers if answer.covered]
    if covering:
        return min(covering, key=_rank)
    telling = min(answers, key=lambda answer: _REASON_PRIORITY.index(_code(answer)))
    if _code(telling) == NOT_IN_FORCE.code:
        return CoverageAnswer(decision=None, refusal=NOT_IN_FORCE)
    return telling


def _in_force(
    versions: Sequence[DecisionVersionPublished], question: CareQuestion, death: date | None
) -> CoverageAnswer:
    """Fold one decision's versions that apply on the day (see the module docstring).

    A reactivation restores the suspended days as they were before the suspension (D-08): on a
    day before it was filed, the answer held before the suspension comes back where the
    reactivated version grants less.
    """
    answer: CoverageAnswer | None = None
    before_suspension: CoverageAnswer | None = None
    for version in versions:
        if version.effective_from > question.on:
            continue
        candidate = _judge(version, question, death)
        narrowing_from = version.narrowing_from or version.effective_from
        retroactive = question.on < narrowing_from
        restores = version.change_kind is ChangeKind.REACTIVATED and retroactive
        if (
            restores
            and before_suspension is not None
            and not _at_least_as_generous(candidate, before_suspension, question)
        ):
            candidate = before_suspension
        if answer is None or not retroactive or _at_least_as_generous(candidate, answer, question):
            if version.status is DecisionStatus.SUSPENDED and answer and answer.covered:
                before_suspension = answer
            answer = candidate
    return answer or CoverageAnswer(decision=None, refusal=NOT_IN_FORCE)


def _judge(
    version: DecisionVersionPublished, question: CareQuestion, death: date | None
) -> CoverageAnswer:
    """One version's own answer, ignoring every other version."""
    on = question.on

    def refused(refusal: Finding) -> CoverageAnswer:
        return CoverageAnswer(decision=version, refusal=refusal)

    if death is not None and on > death + timedelta(days=DEATH_WINDOW_DAYS):
        return refused(DECEASED)
    if version.status is DecisionStatus.STOPPED and on >= version.effective_from:
        return refused(STOPPED)
    if not version.period.contains(on):
        return refused(NOT_IN_FORCE)
    if version.status is DecisionStatus.SUSPENDED:
        return refused(SUSPENDED)
    if not version.coverages:
        return refused(PRINCIPLE)
    of_type = [
        cover
        for cover in version.coverages
        if question.care_type is None or cover.care_type == question.care_type
    ]
    if not of_type:
        return refused(COVER_ABSENT)
    active = [cover for cover in of_type if cover.period.contains(on)]
    if not active:
        return refused(COVER_NOT_ACTIVE)
    if question.care_type is not None and question.provider is not None:
        active = [
            cover for cover in active if not cover.providers or question.provider in cover.providers
        ]
        if not active:
            return refused(PROVIDER_NOT_IN_LIST)
    return CoverageAnswer(decision=version, covers=tuple(active))


def _guaranteed(history: DecisionHistory, question: CareQuestion) -> CoverageAnswer | None:
    """C-02: the consulted version's answer, when it covers the care."""
    if question.consulted is None:
        return None
    consulted = history.version(question.consulted)
    if consulted is None:
        return None
    answer = _judge(consulted, question, history.death_date)
    return replace(answer, guaranteed=True) if answer.covered else None


def _at_least_as_generous(new: CoverageAnswer, old: CoverageAnswer, question: CareQuestion) -> bool:
    """D-03 applied to two answers to the same question."""
    if not old.covered:
        return True
    if not new.covered or new.decision is None or old.decision is None:
        return False
    settings = (
        (setting_of(question.care_type),) if question.care_type is not None else tuple(CareSetting)
    )
    if not state_terms_at_least_as_generous(new.decision, old.decision, settings):
        return False
    new_by_type = {cover.care_type: cover for cover in new.covers}
    return all(
        old_cover.care_type in new_by_type
        and cover_at_least_as_generous(new_by_type[old_cover.care_type], old_cover)
        for old_cover in old.covers
    )


def competent_ocmw_d14(versions: Sequence[DecisionVersionPublished], day: date) -> Ocmw:
    """D-14: the OCMW that owned the decision on `day`: the first owner, or the one it was
    handed over to by then. Versions keep their first owner; a hand-over counts from the day
    it was accepted."""
    owner = versions[0].ocmw
    for version in versions:
        if version.change_kind is ChangeKind.HANDED_OVER and version.effective_from <= day:
            owner = version.ocmw
    return owner


def _rank(answer: CoverageAnswer) -> tuple[int, str]:
    assert answer.decision is not None
    return -answer.decision.period.start.toordinal(), answer.decision.decision_number


def _code(answer: CoverageAnswer) -> str:
    return answer.refusal.code if answer.refusal is not None else ""
