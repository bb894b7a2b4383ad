"""Operators (and GPs, their own) find invoices by provider, person, status, dates and refusal
code in the database, page by page to the last; the person travels in the body. On SQLite and
PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.main import service
from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.testing import TokenFactory, embedded_settings, running_service

from ..payment_runs.seeding import BACKENDS, database_url
from ..support import CARE_DAY, operator

NOW = datetime.now(UTC).replace(microsecond=0)
UNKNOWN_CODE = {"rule": "T-01", "code": "code.unknown", "message": "not in the nomenclature"}
NO_DECISION = {"rule": "T-06", "code": "no_decision", "message": "no decision"}
LOOKALIKE = {"rule": "T-99", "code": "care.noxdecision", "message": "a code `no_d` must not find"}


@dataclass(frozen=True)
class Invoicing:
    http: httpx.AsyncClient
    database: Database
    tokens: TokenFactory

    async def add(
        self,
        provider: str,
        ssin: str,
        *,
        days_ago: int,
        reasons: list[dict[str, str]] | None = None,
        person_id: str | None = None,
    ) -> str:
        """An adjudicated invoice of one line: refused with `reasons`, else accepted."""
        invoice_id = str(uuid.uuid4())
        refused = reasons is not None
        async with self.database.transaction() as session:
            session.add(
                Invoice(
                    invoice_id=invoice_id,
                    provider=provider,
                    ssin=ssin,
                    person_id=person_id,
                    issued_on=CARE_DAY,
                    status="rejected" if refused else "accepted",
                    submitted_at=NOW - timedelta(days=days_ago),
                    idempotency_key=invoice_id,
                    request_hash="0" * 64,
                )
            )
            session.add(
                InvoiceLine(
                    invoice_id=invoice_id,
                    line_number=1,
                    date_of_care=CARE_DAY,
                    code="101032",
                    amount=Decimal("33.51"),
                    status="rejected" if refused else "accepted",
                    state_share=None if refused else Decimal("29.51"),
                    ocmw_share=None if refused else Decimal("4.00"),
                    patient_share=None if refused else Decimal("0.00"),
                    reasons=reasons or [],
                    decision_number="1234567",
                    version=1,
                    ocmw=str(random_enterprise_number()),
                    urgent_medical_aid=False,
                    provider=provider,
                    ssin=ssin,
                    person_key=f"ssin:{ssin}",
                )
            )
        return invoice_id

    async def search(self, headers: dict[str, str] | None = None, **body: Any) -> httpx.Response:
        return await self.http.post(
            "/v1/invoice-searches", json=body, headers=headers or operator(self.tokens)
        )

    async def found(self, **body: Any) -> list[str]:
        response = await self.search(**body)
        assert response.status_code == 200, response.text
        return [invoice["invoice_id"] for invoice in response.json()["items"]]


@pytest.fixture(params=BACKENDS)
async def invoicing(
    request: pytest.FixtureRequest, tmp_path: Path, tokens: TokenFactory
) -> AsyncIterator[Invoicing]:
    async with database_url(request.param, tmp_path) as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as http:
            database = Database(url)
            try:
                yield Invoicing(http, database, tokens)
            finally:
                await database.dispose()


def new_ssin() -> str:
    return str(random_ssin())


async def test_invoices_are_found_by_provider_person_status_dates_and_refusal_code(
    invoicing: Invoicing,
) -> None:
    gp, colleague = str(random_gp_riziv()), str(random_gp_riziv())
    person, renumbered, other = new_ssin(), new_ssin(), new_ssin()
    person_id = f"P{uuid.uuid4().hex}"
    unknown = await invoicing.add(gp, person, days_ago=5, reasons=[UNKNOWN_CODE])
    accepted = await invoicing.add(gp, other, days_ago=4)
    same_person = await invoicing.add(colleague, person, days_ago=3, person_id=person_id)
    new_number = await invoicing.add(colleague, renumbered, days_ago=2, person_id=person_id)
    no_decision = await invoicing.add(colleague, other, days_ago=1, reasons=[NO_DECISION])
    lookalike = await invoicing.add(colleague, other, days_ago=1, reasons=[LOOKALIKE])

    assert await invoicing.found(provider=gp) == [accepted, unknown]  # newest first
    assert await invoicing.found(provider=gp, order="oldest_first") == [unknown, accepted]
    assert await invoicing.found(provider=gp, status="rejected") == [unknown]
    assert await invoicing.found(ssin=person) == [new_number, same_person, unknown]
    assert await invoicing.found(ssin=person, provider=colleague) == [new_number, same_person]
    for code in ("code.unknown", "UNKNOWN", "t-01"):
        assert await invoicing.found(refusal_code=code) == [unknown]
    assert await invoicing.found(refusal_code="no_d") == [no_decision]  # `_` is no wildcard
    assert set(await invoicing.found(refusal_code="decision")) == {no_decision, lookalike}
    since = (NOW - timedelta(days=3, hours=1)).isoformat()
    before = (NOW - timedelta(days=1, hours=1)).isoformat()
    assert await invoicing.found(submitted_from=since, submitted_to=before) == [
        new_number,
        same_person,
    ]
    assert await invoicing.found(provider=colleague, refusal_code="code.unknown") == []


async def test_a_search_pages_through_every_match_with_no_cap(invoicing: Invoicing) -> None:
    gp = str(random_gp_riziv())
    made = [await invoicing.add(gp, new_ssin(), days_ago=days) for days in range(7, 0, -1)]

    pages, offset = [], 0
    while offset is not None:
        response = await invoicing.search(provider=gp, offset=offset, limit=3)
        pages.append([invoice["invoice_id"] for invoice in response.json()["items"]])
        offset = response.json()["next_offset"]

    assert pages == [made[::-1][0:3], made[::-1][3:6], made[::-1][6:]]
    first = (await invoicing.search(provider=gp, limit=1)).json()["items"][0]
    assert first["lines"][0]["state_share"] == "29.51"  # the whole view, as GET gives it


async def test_a_gp_finds_only_its_own_invoices_and_an_ocmw_none(
    invoicing: Invoicing,
) -> None:
    gp, colleague, person = str(random_gp_riziv()), str(random_gp_riziv()), new_ssin()
    own = await invoicing.add(gp, person, days_ago=2)
    await invoicing.add(colleague, person, days_ago=1)
    as_gp = invoicing.tokens.headers(Role.GP, gp)
    as_ocmw = invoicing.tokens.headers(Role.OCMW, str(random_enterprise_number()))

    mine = await invoicing.search(as_gp, ssin=person)
    theirs = await invoicing.search(as_gp, provider=colleague)
    refused = await invoicing.search(as_ocmw, ssin=person)

    assert [invoice["invoice_id"] for invoice in mine.json()["items"]] == [own]
    assert theirs.json()["items"] == []
    assert refused.status_code == 403


async def test_a_bad_search_is_422_and_never_repeats_the_number(
    invoicing: Invoicing,
) -> None:
    person = new_ssin()
    wrong = person[:-1] + str((int(person[-1]) + 1) % 10)  # check digits no longer match

    bad_number = await invoicing.search(ssin=wrong)
    bad_code = await invoicing.search(refusal_code="code unknown%")
    unknown_field = await invoicing.search(provider_name="Dr Who")
    get_still_works = await invoicing.http.get(
        "/v1/invoices", params={"status": "accepted"}, headers=operator(invoicing.tokens)
    )

    assert bad_number.status_code == 422
    assert wrong not in bad_number.text
    assert [error["field"] for error in bad_number.json()["errors"]] == ["ssin"]
    assert (bad_code.status_code, unknown_field.status_code) == (422, 422)
    assert get_still_works.status_code == 200
