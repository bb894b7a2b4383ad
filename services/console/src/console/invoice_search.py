"""Finding invoices: invoicing filters by status, submission dates, provider, person and refusal
code (`POST /v1/invoice-searches`, the person in the body), a page at a time, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from console.backends import Backends
from console.session import User

SHOWN = 50


@dataclass(frozen=True)
class InvoiceFilter:
    status: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    provider: str = ""
    ssin: str = ""
    refusal_code: str = ""

    def search_body(self) -> dict[str, str]:
        """The search as invoicing takes it; the NISS only ever here, in a request body."""
        body = {"order": "newest_first"}
        if self.status:
            body["status"] = self.status
        if self.submitted_from:
            body["submitted_from"] = _midnight(self.submitted_from)
        if self.submitted_to:
            body["submitted_to"] = _midnight(self.submitted_to + timedelta(days=1))
        for name in ("provider", "ssin", "refusal_code"):
            if value := getattr(self, name):
                body[name] = value
        return body


@dataclass
class SearchResult:
    invoices: list[dict[str, Any]] = field(default_factory=list)
    offset: int = 0
    next_offset: int | None = None

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - SHOWN, 0) if self.offset else None


async def search(
    backends: Backends, user: User, wanted: InvoiceFilter, *, offset: int = 0, shown: int = SHOWN
) -> SearchResult:
    """One page of the matching invoices (the caller's own, or all for operators), newest first."""
    page = await backends.json(
        "invoicing",
        "POST",
        "/v1/invoice-searches",
        user,
        json={**wanted.search_body(), "offset": offset, "limit": shown},
    )
    return SearchResult(page["items"], offset, page["next_offset"])


@dataclass(frozen=True)
class Day:
    day: date
    received: int
    paid: int


async def per_day(backends: Backends, user: User, *, today: date, days: int) -> list[Day]:
    """Invoices received and invoices paid on each of the last `days` days (UTC), as invoicing
    counts them (`GET /v1/invoice-activity`)."""
    first = today - timedelta(days=days - 1)
    activity = await backends.json(
        "invoicing",
        "GET",
        "/v1/invoice-activity",
        user,
        params={"from": first.isoformat(), "to": today.isoformat()},
    )
    return [
        Day(day=date.fromisoformat(day["day"]), received=day["received"], paid=day["paid"])
        for day in activity["days"]
    ]


def _midnight(day: date) -> str:
    return datetime.combine(day, time(0)).isoformat() + "Z"
