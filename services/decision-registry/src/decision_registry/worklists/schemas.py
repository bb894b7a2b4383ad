"""API shapes of the OCMW worklists (issue 10, item 10)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field


class WorklistKind(StrEnum):
    """What an OCMW has to act on."""

    PENDING_MUTATIONS = "pending-mutations"
    """Decisions suspended by register mutations that wait for the OCMW (D-08, D-11)."""
    DEATHS = "deaths"
    """Deaths the register reported on decisions not stopped yet (D-07)."""
    URGENT_AID_ENDING = "urgent-aid-ending"
    """Urgent-medical-aid cards ending within 14 days (D-10)."""
    INSURABILITY_ENDING = "insurability-ending"
    """Insurability transitions ending within 14 days (D-11)."""
    HAND_OVERS = "hand-overs"
    """Files handed over to the OCMW, waiting for its answer (D-14)."""


class WorklistPerson(BaseModel):
    ssin: str = Field(description="The number the decision is filed under.")
    last_name: str = Field(description="Family name.")
    first_name: str = Field(description="Given name(s).")


class WorklistItem(BaseModel):
    decision_number: str = Field(description="The decision to act on.")
    version: int = Field(description="Its current version.")
    ocmw: str = Field(description="Enterprise number of the OCMW that owns the decision.")
    person: WorklistPerson = Field(description="Who the decision is about.")
    relevant_date: dt.date = Field(
        description="pending-mutations: the first pending mutation; deaths: the date of death; "
        "urgent-aid-ending: the card's last day; insurability-ending: the transition's last "
        "day; hand-overs: the last day to answer."
    )
    rule: str = Field(description="The rule (domain.md id) that asks for the action.")
    action: str = Field(description="What the OCMW must do.")
    hand_over_id: str | None = Field(default=None, description="For hand-overs: which one.")


class WorklistPage(BaseModel):
    items: list[WorklistItem] = Field(description="This page, earliest relevant date first.")
    total: int = Field(description="How many items the worklist holds, all pages together.")
    limit: int = Field(description="Page size asked.")
    offset: int = Field(description="Items skipped before this page.")
