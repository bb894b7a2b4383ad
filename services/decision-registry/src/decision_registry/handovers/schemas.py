"""API shapes of hand-overs between OCMWs (D-14)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from decision_registry.decisions.rules import HandOverStatus
from mediprima_contracts.components import Finding
from mediprima_contracts.values import EnterpriseNumber, NisCode

_TO: dict[str, JsonValue] = {
    "enterprise_number": "0207437468",
    "municipality_nis": "11002",
    "name_nl": "OCMW Antwerpen",
    "name_fr": "CPAS d'Anvers",
}


class HandOverTarget(BaseModel):
    """The OCMW the file is handed over to."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_TO]})

    enterprise_number: EnterpriseNumber = Field(description="KBO/BCE number of the OCMW.")
    municipality_nis: NisCode = Field(description="NIS code of its municipality.")
    name_nl: str | None = Field(default=None, max_length=200, description="Name in Dutch.")
    name_fr: str | None = Field(default=None, max_length=200, description="Name in French.")


class HandOverRequest(BaseModel):
    """The owner declares itself not competent and hands the file over (D-14)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"to": _TO, "reason": "The person lives in Antwerpen since October"}]
        },
    )

    to: HandOverTarget = Field(description="The OCMW the owner deems competent.")
    reason: str = Field(
        min_length=1, max_length=2000, description="Why; visible to both OCMWs (D-15)."
    )


class RefusalRequest(BaseModel):
    """The receiving OCMW does not take the file: a competence conflict for the funder."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "The person never lived in Antwerpen"}]},
    )

    reason: str = Field(
        min_length=1, max_length=2000, description="Why; visible to both OCMWs (D-15)."
    )


class SettlementRequest(BaseModel):
    """The funder (operator) says which of the two OCMWs is competent."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"competent_ocmw": "0207437468"}]}
    )

    competent_ocmw: EnterpriseNumber = Field(
        description="The sender (it keeps the file) or the receiver (the file passes to it)."
    )


class HandOverFilter(StrEnum):
    """Which hand-overs a list shows."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    SETTLED = "settled"
    CONFLICT = "conflict"
    """Refused, or unanswered after the deadline: for the funder to settle."""


class HandOverView(BaseModel):
    hand_over_id: str = Field(description="Identifier of the hand-over.")
    decision_number: str = Field(description="The decision (file) handed over.")
    from_ocmw: str = Field(description="Enterprise number of the OCMW handing the file over.")
    to: HandOverTarget = Field(description="The OCMW it is handed over to.")
    reason: str = Field(description="The sender's reason.")
    status: HandOverStatus = Field(description="Where the hand-over stands.")
    requested_on: date = Field(description="Day the hand-over was requested.")
    deadline: date = Field(description="Last day for the receiver to answer (5 calendar days).")
    conflict: bool = Field(
        description="A competence conflict for the funder: refused, or unanswered after the "
        "deadline."
    )
    refusal_reason: str | None = Field(default=None, description="The receiver's reason.")
    competent_ocmw: str | None = Field(
        default=None, description="Who the funder declared competent, once settled."
    )
    version: int | None = Field(
        default=None, description="The decision version that passed the file to the receiver."
    )
    warnings: list[Finding] = Field(
        default_factory=list, description="Warnings on the text just sent (D-15)."
    )


class HandOverPage(BaseModel):
    items: list[HandOverView] = Field(description="This page, oldest deadline first.")
    total: int = Field(description="How many hand-overs match, all pages together.")
    limit: int = Field(description="Page size asked.")
    offset: int = Field(description="Items skipped before this page.")
