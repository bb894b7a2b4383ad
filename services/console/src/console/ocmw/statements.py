"""An OCMW's statement of a month with each person's name beside the number, as the OCMW knows
them from its own decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.backends import Backends, ServiceProblem
from console.session import User

NAMES_LOOKED_UP = 200


@dataclass(frozen=True)
class NamedStatement:
    body: dict[str, Any]
    names: dict[str, str]
    """Person's name by decision number."""
    names_complete: bool


async def named_statement(backends: Backends, user: User, settlement_id: str) -> NamedStatement:
    body = await backends.json(
        "settlement",
        "GET",
        f"/v1/settlements/{settlement_id}/ocmw/{user.subject}",
        user,
        headers={"Accept": "application/json"},
    )
    numbers = sorted({line["decision_number"] for line in body["lines"] if line["decision_number"]})
    names = {}
    for number in numbers[:NAMES_LOOKED_UP]:
        try:
            decision = await backends.json(
                "decision-registry", "GET", f"/v1/decisions/{number}", user
            )
        except ServiceProblem:
            continue
        person = decision["person"]
        names[number] = f"{person['last_name']}, {person['first_name']}"
    return NamedStatement(body, names, names_complete=len(numbers) <= NAMES_LOOKED_UP)
