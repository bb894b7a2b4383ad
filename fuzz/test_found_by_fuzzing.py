"""What the API fuzzing found, each a refusal now instead of a 500 or an answer out of contract.

Each service runs in process on SQLite and the SQL event log (servicekit.testing).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from mediprima_contracts.testing import random_gp_riziv, random_ssin
from mediprima_contracts.values import YearMonth
from servicekit.auth import Role
from servicekit.registry import load_service
from servicekit.testing import TokenFactory, embedded_settings, running_service

HUGE = "9999999999999999999"  # past SQLite's and PostgreSQL's 64-bit integers


@asynccontextmanager
async def service(
    name: str, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Callable[[Role, str], dict[str, str]]]]:
    definition = load_service(name)
    tokens = TokenFactory.create(tmp_path / "keys")
    settings = embedded_settings(definition, tmp_path, tokens, rate_limits=False)
    async with running_service(definition, settings) as client:
        yield client, tokens.headers


def operator() -> tuple[Role, str]:
    return Role.OPERATOR, "operator-1"


@pytest.mark.parametrize(
    ("name", "path", "caller"),
    [
        ("consultation", "/v1/consultations", (Role.GP, "10700187005")),
        ("consultation", "/v1/urgent-aid-certificates/reads", (Role.OPERATOR, "operator-1")),
        ("decision-registry", "/v1/hand-overs", (Role.OCMW, "0212345668")),
        ("invoicing", "/v1/invoices", (Role.GP, "10700187005")),
    ],
)
async def test_a_list_offset_past_any_database_integer_is_refused_not_a_500(
    name: str, path: str, caller: tuple[Role, str], tmp_path: Path
) -> None:
    async with service(name, tmp_path) as (client, headers):
        answer = await client.get(path, params={"offset": HUGE}, headers=headers(*caller))

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert [(item["code"], item["field"]) for item in answer.json()["errors"]] == [
        ("less_than_equal", "offset")
    ]


async def test_s01_a_settlement_month_after_the_current_one_or_before_the_platform_is_refused(
    tmp_path: Path,
) -> None:
    current = YearMonth.containing(datetime.now(UTC).date())
    async with service("settlement", tmp_path) as (client, headers):
        answers = {
            month: await client.post(
                "/v1/settlements", json={"month": month}, headers=headers(*operator())
            )
            for month in ("2678-12", "2199-12", "2025-08", "2025-09", str(current))
        }

    assert answers["2678-12"].status_code == 422  # outside the years any request may name
    for month in ("2199-12", "2025-08"):
        assert answers[month].status_code == 422
        assert [(item["rule"], item["code"]) for item in answers[month].json()["errors"]] == [
            ("S-01", "settlement.month_out_of_range")
        ]
    assert answers["2025-09"].status_code == 202
    assert answers[str(current)].status_code == 202


async def test_the_settlement_answers_its_timestamps_in_utc_with_their_offset(
    tmp_path: Path,
) -> None:
    async with service("settlement", tmp_path) as (client, headers):
        started = await client.post(
            "/v1/settlements", json={"month": "2025-10"}, headers=headers(*operator())
        )
        closed = await client.post(
            f"/v1/settlements/{started.json()['settlement_id']}/close",
            headers=headers(*operator()),
        )

    assert closed.status_code == 200
    assert closed.json()["computed_at"].endswith("Z")
    assert closed.json()["closed_at"].endswith("Z")


async def test_invoicing_answers_its_timestamps_in_utc_with_their_offset(tmp_path: Path) -> None:
    gp = random_gp_riziv()
    body: dict[str, Any] = {
        "ssin": random_ssin(),
        "lines": [
            {"line_number": 1, "date_of_care": "2026-11-02", "code": "101032", "amount": "33.51"}
        ],
    }
    async with service("invoicing", tmp_path) as (client, headers):
        submitted = await client.post(
            "/v1/invoices",
            json=body,
            headers={**headers(Role.GP, gp), "Idempotency-Key": str(uuid.uuid4())},
        )
        invoice = await client.get(
            f"/v1/invoices/{submitted.json()['invoice_id']}", headers=headers(Role.GP, gp)
        )

    assert invoice.status_code == 200
    assert invoice.json()["submitted_at"].endswith("Z")
    assert all(change["changed_at"].endswith("Z") for change in invoice.json()["history"])


async def test_i05_a_payment_delay_report_of_year_0_or_9999_is_refused_not_a_500(
    tmp_path: Path,
) -> None:
    async with service("invoicing", tmp_path) as (client, headers):
        answers = [
            await client.get(
                "/v1/payment-delays", params={"month": month}, headers=headers(*operator())
            )
            for month in ("0000-01", "9999-12")
        ]

    assert [answer.status_code for answer in answers] == [422, 422]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_t04_a_pricing_simulation_on_a_day_at_the_calendars_edge_is_refused_not_a_500(
    day: str, tmp_path: Path
) -> None:
    body = {"ssin": random_ssin(), "date": day, "lines": [{"code": "101032"}]}
    async with service("tariffing", tmp_path) as (client, headers):
        answer = await client.post(
            "/v1/pricing-simulations", json=body, headers=headers(Role.GP, random_gp_riziv())
        )

    assert answer.status_code == 422
    assert [item["field"] for item in answer.json()["errors"]] == ["date"]
