"""API shapes for OCMW software; the stored and published snapshot is the event's payload."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from mediprima_contracts.components import (
    Category,
    ChangeKind,
    Coverage,
    DecisionStatus,
    Finding,
    InsurabilityExtension,
    Ocmw,
    Person,
)
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import BoundedDate, CourtReference, Period, RizivNumber, Ssin

MAX_PROVIDERS_PER_COVERAGE = 100
MAX_COVERAGES = 20
"""Bounds that keep a decision's event far below the bus's message limit (1 MB on Kafka): a
decision the bus cannot carry would hold up every decision published after it."""


class BoundedCoverage(Coverage):
    providers: list[RizivNumber] = Field(
        default_factory=list,
        max_length=MAX_PROVIDERS_PER_COVERAGE,
        description="Closed list of providers allowed to give this care; empty means any. At "
        f"most {MAX_PROVIDERS_PER_COVERAGE}.",
    )


_PERIOD: dict[str, JsonValue] = {"start": "2026-11-12", "end": "2027-02-10"}
_DECISION_EXAMPLE: dict[str, JsonValue] = {
    "ssin": "85073003328",
    "person": {
        "last_name": "Janssens",
        "first_name": "Els",
        "birth_date": "1985-07-30",
        "sex": "female",
    },
    "ocmw": {"enterprise_number": "0212344876", "municipality_nis": "44021"},
    "committee_date": "2026-11-22",
    "decision_date": "2026-11-22",
    "period": _PERIOD,
    "category": "asylum_seeker",
    "court_decision": False,
    "insurable": False,
    "affiliated_to_fund": False,
    "income_above_living_wage": False,
    "comment": "Housing: OCMW flat",
    "coverages": [
        {
            "care_type": "general_medicine",
            "period": _PERIOD,
            "ocmw_pays": {
                "insurance_part": "NOTHING",
                "patient_share": "FULL",
                "supplements": "NOTHING",
            },
        }
    ],
}


class DecisionInput(BaseModel):
    """A decision as the OCMW files it (create) or restates it (replace)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DECISION_EXAMPLE]})

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    person: Person = Field(description="Identity of the person.")
    ocmw: Ocmw = Field(description="The deciding OCMW; must be the caller.")
    committee_date: BoundedDate = Field(description="Date the OCMW council decided.")
    decision_date: BoundedDate = Field(description="Date of the decision.")
    period: Period = Field(description="Validity of the decision.")
    category: Category = Field(description="The person's situation (phase 1 categories).")
    court_decision: bool = Field(default=False, description="A court decision exists.")
    court_decision_reference: CourtReference | None = Field(
        default=None,
        description="Reference (roll number) of the court decision; required with "
        "`court_decision`, and only with it are rights granted more than 60 days back (D-04).",
        examples=["2026/AR/1234"],
    )
    insurable: bool = Field(description="The person can be insured with a health fund.")
    insurable_since: BoundedDate | None = Field(
        default=None,
        description="Day the person became insurable; required when `insurable`, not in the "
        "future: the 3-month transition to join a health fund runs from it (D-11).",
        examples=["2026-11-02"],
    )
    insurability_extension: InsurabilityExtension | None = Field(
        default=None,
        description="The one extension of the insurability transition, 3 months more, with its "
        "reason; the explanation is visible to all parties (D-11, D-15).",
        examples=[{"reason": "documents_pending", "explanation": "Waiting for the residence card"}],
    )
    affiliated_to_fund: bool = Field(description="Affiliated to a health insurance fund.")
    preferential_reimbursement: bool = Field(
        default=False,
        description="An insured person (category `insured_needy`) entitled to the preferential "
        "reimbursement (verhoogde tegemoetkoming): the lower patient share applies (T-02).",
    )
    income_above_living_wage: bool = Field(description="Income above the living wage.")
    social_inquiry_date: BoundedDate | None = Field(
        default=None,
        description="Date of the social inquiry the decision follows, not in the future; a "
        "restatement without it keeps the one recorded. Urgent medical aid is renewed after a "
        "new one (D-10).",
        examples=["2026-11-20"],
    )
    comment: str | None = Field(
        default=None, max_length=2000, description="Free text, no medical data."
    )
    coverages: list[BoundedCoverage] = Field(
        default_factory=list,
        max_length=MAX_COVERAGES,
        description="One per care type; empty makes a principle decision.",
    )


class DecisionCreated(BaseModel):
    decision_number: str = Field(description="Unique, immutable decision number.")
    version: int = Field(description="1 at creation.")
    status: DecisionStatus = Field(description="active at creation.")
    warnings: list[Finding] = Field(description="Non-blocking findings (D-13).")


class DecisionView(DecisionVersionPublished):
    """One version of a decision, whole: the published snapshot and what the registry kept."""

    refund_policy_version: str | None = Field(
        default=None, description="Version of the refund policy table that fixed the refund code."
    )
    reason: str | None = Field(
        default=None, description="The OCMW's reason for a suspension or a stop."
    )


class VersionSummary(BaseModel):
    version: int = Field(description="Version number.")
    change_kind: ChangeKind = Field(description="What produced this version.")
    status: DecisionStatus = Field(description="Status in this version.")
    effective_from: date = Field(description="From when this version applies.")
    narrowing_from: date | None = Field(
        default=None, description="From when it may take rights away (D-03)."
    )
    filed_on: date | None = Field(default=None, description="Day the registry filed it.")


class ExtendRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"end_date": "2027-04-11"},
                {"end_date": "2027-05-10", "social_inquiry_date": "2027-02-01"},
            ]
        },
    )

    end_date: BoundedDate = Field(description="The new last day of the decision (D-09).")
    social_inquiry_date: BoundedDate | None = Field(
        default=None,
        description="Date of the new social inquiry, not in the future and after the one "
        "recorded: needed to renew urgent medical aid beyond its current 3-month period (D-10).",
    )


class SuspendRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Social inquiry pending"}]}
    )

    reason: str = Field(
        min_length=1, max_length=2000, description="Why; visible to all parties (D-15)."
    )


class StopRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"stop_date": "2026-11-22", "reason": "Moved to another municipality"}]
        },
    )

    stop_date: BoundedDate = Field(description="The last day the decision covers.")
    reason: str = Field(
        min_length=1, max_length=2000, description="Why; visible to all parties (D-15)."
    )
