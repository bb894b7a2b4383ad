"""Decisions for GP care on either side of the circular's dates, and the calls the tests make."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually

CARE_DAY = "2025-11-20"
PERIOD = {"start": "2025-08-01", "end": "2026-01-31"}


def gp_decision(decision_date: str, **changes: Any) -> DecisionVersionPublished:
    """A decision covering GP care over `PERIOD`, taken on `decision_date`."""
    return example_decision_version_published(
        **{
            "committee_date": decision_date,
            "decision_date": decision_date,
            "period": PERIOD,
            "coverages": [example_coverage(period=PERIOD)],
            "effective_from": PERIOD["start"],
            **changes,
        }
    )


def after_the_transition() -> bool:
    """The consultation's billing day is today: these tests mean a day after 31 October 2025."""
    return datetime.now(UTC).date() > date(2025, 10, 31)


async def consult(
    client: httpx.AsyncClient, tokens: TokenFactory, ssin: str, provider: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        "/v1/consultations",
        json={"ssin": ssin, "date": CARE_DAY, **extra},
        headers=tokens.headers(Role.GP, provider),
    )


async def published_decision(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    tmp_path: Path,
    decision: DecisionVersionPublished,
    provider: str,
) -> dict[str, Any]:
    """Deliver `decision`; the first consultation answer that sees it covered."""
    await deliver(tmp_path, decision)
    answer = await eventually(
        lambda: consult(client, tokens, decision.ssin, provider),
        lambda response: response.json()["covered"],
    )
    assert answer.json()["covered"] is True
    return dict(answer.json())


async def record_exemption(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, **body: Any
) -> httpx.Response:
    return await client.post(
        "/v1/billing-exemptions",
        json={
            "reason": "force_majeure",
            "declared_on": "2025-10-20",
            "document_reference": "DECL-0001",
            **body,
        },
        headers=tokens.headers(Role.OCMW, ocmw),
    )
