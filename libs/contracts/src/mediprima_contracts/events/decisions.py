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
    Ocmw,
    Person,
    StateShare,
)
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import DecisionNumber, Period, Ssin


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
    change_kind: ChangeKind = Field(description="The change that produced this version.")
    warnings: list[Finding] = Field(description="Warnings recorded with this version (D-13).")
