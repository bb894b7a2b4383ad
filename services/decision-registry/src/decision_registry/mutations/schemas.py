from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from decision_registry.mutations.models import MutationStatus
from mediprima_contracts.components import DecisionStatus, MutationKind
from mediprima_contracts.events.register_mutations import RegisterMutationReported


class MutationReport(RegisterMutationReported):
    """A mutation as the register feed posts it (the same fields as the event)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ssin": "85073003328",
                    "kind": "name_change",
                    "effective_date": "2026-11-20",
                    "new_name": {"last_name": "Peeters", "first_name": "An"},
                }
            ]
        },
    )


class MutationOutcome(BaseModel):
    decision_number: str = Field(description="A decision the mutation bears on.")
    effect: str = Field(
        description="`rename`, `record_death`, `suspend`, `merge_identity` (the person's records "
        "were merged), or `already_applied` for a repeat."
    )
    version: int = Field(description="The decision's version after the mutation.")
    status: DecisionStatus = Field(description="The decision's status after the mutation.")


class MutationAccepted(BaseModel):
    ssin: str = Field(description="The person the mutation is about.")
    kind: MutationKind = Field(description="What changed.")
    effective_date: date = Field(description="Day the change took effect.")
    decisions: list[MutationOutcome] = Field(
        description="Effect on each open decision for the person (none: nothing to do)."
    )


class PendingOrPastMutation(BaseModel):
    kind: MutationKind = Field(description="What changed.")
    effective_date: date = Field(description="Day the change took effect.")
    status: MutationStatus = Field(
        description="`applied`, `pending` (waits for the OCMW), `resolved` or `cancelled` (D-08)."
    )
    version: int | None = Field(description="The decision version that applied or settled it.")
