"""D-08: a person stays one person under every number (a BIS number replaced by a register
number, corrections): decisions, overlaps (D-14) and billing follow the person, not the number.

Domain.md D-08: "the person stays one person under both numbers (no care paid twice)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from decision_registry.decisions.rules.findings import RuleFinding, error


class NumberStatus(StrEnum):
    """What a number is to its person."""

    CURRENT = "current"
    """The number the person goes by."""
    PENDING = "pending"
    """Reported by the register as the new number; taken over when the OCMW deals with the
    mutation (reactivation or stop)."""
    REPLACED = "replaced"
    """A number the person had; care is not billed under it any more (I-05b)."""


@dataclass(frozen=True)
class PersonStamp:
    """A person record as a merge compares it."""

    person_id: str
    created_at: datetime


def survivor_d08(first: PersonStamp, second: PersonStamp) -> tuple[str, str]:
    """D-08: when two person records turn out to be one person, the older record is kept:
    (kept, given up)."""
    kept, given_up = sorted((first, second), key=lambda stamp: (stamp.created_at, stamp.person_id))
    return kept.person_id, given_up.person_id


def check_number_not_replaced_d08(
    *, status: NumberStatus | None, current: str | None
) -> list[RuleFinding]:
    """D-08: a new decision is filed under the number the person goes by, not a replaced one."""
    if status is not NumberStatus.REPLACED:
        return []
    return [
        error(
            "D-08",
            "person.number_replaced",
            f"This number was replaced; the person now goes by {current}: file under that number"
            if current
            else "This number was replaced: file under the person's current number",
            "ssin",
        )
    ]
