"""Finding invoices: the invoicing API filters by status and submission date; the console narrows
those pages down by provider, person and refusal code, reading at most SCAN_LIMIT invoices."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from console.backends import Backends
from console.session import User

PAGE = 200
SCAN_LIMIT = 2_000
SHOWN = 100


@dataclass(frozen=True)
class InvoiceFilter:
    status: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    provider: str = ""
    ssin: str = ""
    refusal_code: str = ""

    def api_query(self) -> dict[str, str]:
        query = {}
        if self.status:
            query["status"] = self.status
        if self.submitted_from:
            query["from"] = _midnight(self.submitted_from)
        if self.submitted_to:
            query["to"] = _midnight(self.submitted_to + timedelta(days=1))
        return query

    def matches(self, invoice: dict[str, Any]) -> bool:
        if self.provider and invoice.get("provider") != self.provider:
            return False
        if self.ssin and invoice["ssin"] != self.ssin:
            return False
        return not self.refusal_code or any(
            refused_for(line, self.refusal_code) for line in invoice["lines"]
        )


def refused_for(line: dict[str, Any], code: str) -> bool:
    """A line refused with this reason code, or a rule id (`C-01`), or a part of the code."""
    needle = code.strip().lower()
    return line["status"] == "rejected" and any(
        needle in reason["code"].lower() or needle == (reason.get("rule") or "").lower()
        for reason in line["reasons"]
    )


@dataclass
class SearchResult:
    invoices: list[dict[str, Any]] = field(default_factory=list)
    scanned: int = 0
    complete: bool = True


async def search(
    backends: Backends, user: User, wanted: InvoiceFilter, *, shown: int | None = SHOWN
) -> SearchResult:
    result = SearchResult()
    offset: int | None = 0
    while offset is not None:
        if result.scanned >= SCAN_LIMIT:
            result.complete = False
            break
        page = await backends.json(
            "invoicing",
            "GET",
            "/v1/invoices",
            user,
            params={**wanted.api_query(), "offset": offset, "limit": PAGE},
        )
        result.scanned += len(page["items"])
        result.invoices += [invoice for invoice in page["items"] if wanted.matches(invoice)]
        offset = page["next_offset"]
    # Newest first, as someone on the phone about a recent invoice wants it.
    result.invoices = sorted(result.invoices, key=lambda item: item["submitted_at"], reverse=True)
    result.invoices = result.invoices[:shown]
    return result


@dataclass(frozen=True)
class Day:
    day: date
    received: int
    paid: int


async def per_day(backends: Backends, user: User, *, today: date, days: int) -> list[Day]:
    """Invoices received and invoices paid on each of the last `days` days (UTC)."""
    first = today - timedelta(days=days - 1)
    since = InvoiceFilter(submitted_from=first - timedelta(days=60))
    found = await search(backends, user, since, shown=None)
    received = Counter(_day(invoice["submitted_at"]) for invoice in found.invoices)
    paid = Counter(
        _day(invoice["payment"]["paid_at"]) for invoice in found.invoices if invoice["payment"]
    )
    return [
        Day(
            day=first + timedelta(days=n),
            received=received[first + timedelta(days=n)],
            paid=paid[first + timedelta(days=n)],
        )
        for n in range(days)
    ]


def _day(timestamp: str) -> date:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date()


def _midnight(day: date) -> str:
    return datetime.combine(day, time(0)).isoformat() + "Z"
