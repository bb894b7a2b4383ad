"""An OCMW's statement of a month with each person's name beside the number, as the OCMW knows
them from its own decisions: settlement's statement carries the names (layout 3), frozen by the
month's run, so the page shows what the downloads show and asks no other service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.backends import Backends
from console.session import User


@dataclass(frozen=True)
class StatementLine:
    name: str
    """`Peeters, An`; empty where the settlement knew no decision of the line's number (or
    the month was settled before statements named persons)."""
    line: dict[str, Any]


@dataclass(frozen=True)
class NamedStatement:
    body: dict[str, Any]
    lines: list[StatementLine]


def person_name(entry: dict[str, Any]) -> str:
    """The name a statement line (or per-person total) carries, as the page shows it."""
    last_name, first_name = entry.get("last_name"), entry.get("first_name")
    return ", ".join(part for part in (last_name, first_name) if part)


def named_lines(body: dict[str, Any]) -> NamedStatement:
    return NamedStatement(body, [StatementLine(person_name(line), line) for line in body["lines"]])


async def named_statement(backends: Backends, user: User, settlement_id: str) -> NamedStatement:
    body = await backends.json(
        "settlement",
        "GET",
        f"/v1/settlements/{settlement_id}/ocmw/{user.subject}",
        user,
        headers={"Accept": "application/json"},
    )
    return named_lines(body)
