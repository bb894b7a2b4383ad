"""Events of the decision family (topic `mediprima.decisions`, keyed by decision number)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from mediprima_contracts.components import (
    Category,
    ChangeKind,
    Coverage,
    DecisionStatus,
    Finding,
    InsurabilityExtension,
    Ocmw,
    Person,
    StateShare,
)
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import CourtReference, DecisionNumber, Period, PersonId, Ssin


class DecisionVersionPublished(EventData):
    """A full snapshot of one decision version (D-01), so that consumers never call back."""

    event_type = "mediprima.decision.version-published"
    event_version = 1
    topic = topics.DECISIONS
    subject_field = "decision_number"

    decision_number: DecisionNumber = Field(description="Decision (medical card) number.")
    version: int = Field(ge=1, description="Version number: 1 at creation, +1 per change.")
    status: DecisionStatus = Field(description="Status of the decision in this version.")
    ssin: Ssin = Field(description="SSIN of the beneficiary.")
    person: Person = Field(description="The beneficiary as known for this version.")
    ocmw: Ocmw = Field(description="The OCMW that owns the decision.")
    committee_date: date = Field(description="Date the OCMW council decided.")
    decision_date: date = Field(description="Date of the decision (60-day rule, D-05).")
    period: Period = Field(description="Period of the decision, both days included.")
    category: Category = Field(description="The person's category.")
    court_decision: bool = Field(description="A court decision exists (lifts D-04's limit).")
    insurable: bool = Field(description="The person can be insured with a health fund.")
    affiliated_to_fund: bool = Field(description="Affiliated to a health fund at creation.")
    income_above_living_wage: bool = Field(description="Income above the living wage.")
    refund_code: int = Field(ge=0, description="Refund code fixing the state's share (D-12).")
    state_share: StateShare = Field(description="The state's percentages from the refund code.")
    urgent_medical_aid: bool = Field(
        description="Urgent medical aid only: providers must file a DMH certificate (C-04)."
    )
    coverages: list[Coverage] = Field(
        description="One coverage per care type; empty for a principle decision (D-02)."
    )
    comment: str | None = Field(
        default=None,
        max_length=2000,
        description="Free text visible to all parties; never medical information (D-15).",
    )
    effective_from: date = Field(description="First day this version applies (D-03).")
    narrowing_from: date | None = Field(
        default=None,
        description="First day on which this version may take rights away: the day it was "
        "filed (D-03), or earlier where the manual allows it (a register mutation, a stop after "
        "a death or for several mutations); equal to `effective_from` when the version narrows "
        "nothing. Before it the version only adds rights. Absent on versions filed before it was "
        "recorded: they apply whole from `effective_from`.",
    )
    change_kind: ChangeKind = Field(description="The change that produced this version.")
    warnings: list[Finding] = Field(description="Warnings recorded with this version (D-13).")
    filed_on: date | None = Field(
        default=None,
        description="Day the registry filed this version, by its own clock: D-03 and D-04 count "
        "from it. Absent on versions filed before it was recorded.",
    )
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry; the same under every number the "
        "person had (D-08). Absent on versions filed before identities were kept.",
    )
    replaced_ssins: list[Ssin] = Field(
        default_factory=list,
        max_length=20,
        description="Numbers the person had before (a BIS number replaced by a register "
        "number); care billed under one of them is refused (I-05b).",
    )
    pending_ssin: Ssin | None = Field(
        default=None,
        description="A new number the register reported, taken over when the OCMW reactivates "
        "the decision (D-08).",
    )
    court_decision_reference: CourtReference | None = Field(
        default=None,
        description="Reference of the court decision that lifts the 60-day limits (D-04, D-05).",
    )
    social_inquiry_date: date | None = Field(
        default=None,
        description="Date of the latest social inquiry; each urgent-aid period follows one (D-10).",
    )
    urgent_aid_period_start: date | None = Field(
        default=None,
        description="First day of the current urgent-aid period of at most 3 months (D-10).",
    )
    insurable_since: date | None = Field(
        default=None,
        description="Day the person became insurable; the 3-month transition runs from it (D-11).",
    )
    preferential_reimbursement: bool = Field(
        default=False,
        description="An insured person with the preferential reimbursement (verhoogde "
        "tegemoetkoming): the lower patient share applies (T-02).",
    )
    insurability_extension: InsurabilityExtension | None = Field(
        default=None, description="The one extension of the insurability transition (D-11)."
    )
