"""The month's life on PostgreSQL: bookings and runs under its locks, files, close."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from mediprima_contracts.testing import random_enterprise_number
from mediprima_contracts.testing.factories import random_bis_number, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service
from settlement.main import service

from .feeding import credit_of, deliver, paid, run, settled_lines

pytestmark = pytest.mark.postgres
OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
async def pg_client(tmp_path: Path, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with postgres_database("settlement") as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as client:
            yield client


async def test_s04_a_month_runs_closes_and_corrects_on_postgresql(
    pg_client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    ocmw = random_enterprise_number()
    original = paid(at=OCTOBER, ocmw=ocmw)
    await deliver(tmp_path, original, paid(at=OCTOBER, ocmw=ocmw))
    october = await settled_lines(pg_client, operator, "2025-10", 2)
    statement = await pg_client.get(
        f"/v1/settlements/{october['settlement_id']}/ocmw/{ocmw}",
        headers=tokens.headers(Role.OCMW, ocmw, Accept="text/csv"),
    )
    closed = await pg_client.post(
        f"/v1/settlements/{october['settlement_id']}/close", headers=operator
    )
    await deliver(tmp_path, credit_of(original, at=NOVEMBER), paid(at=OCTOBER, ocmw=ocmw))
    november = await settled_lines(pg_client, operator, "2025-11", 2)

    assert october["totals"]["total"] == "60.00"
    digest = hashlib.sha256(statement.content).hexdigest()
    assert digest == october["files"][f"ocmw-{ocmw}-2025-10.csv"]
    assert closed.status_code == 200
    assert closed.json()["files"][f"ocmw-{ocmw}-2025-10.csv"] == digest
    assert (await run(pg_client, operator, "2025-10")).status_code == 409
    # the late October payment and the November credit cancel out in November
    assert november["totals"]["total"] == "0.00"
    assert november["totals"]["lines"] == 2


async def test_s04_one_person_under_two_numbers_is_one_person_on_postgresql(
    pg_client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    ocmw, person = random_enterprise_number(), f"P{uuid.uuid4().hex}"
    old_number, new_number = str(random_bis_number()), str(random_ssin())
    await deliver(
        tmp_path,
        paid(at=OCTOBER.replace(day=3), ocmw=ocmw, ssin=old_number, person_id=person),
        paid(at=OCTOBER, ocmw=ocmw, ssin=new_number, person_id=person),
        paid(at=OCTOBER, ocmw=ocmw, state="1.01", share="0.00"),
    )
    view = await settled_lines(pg_client, operator, "2025-10", 3)

    statement = await pg_client.get(
        f"/v1/settlements/{view['settlement_id']}/ocmw/{ocmw}",
        headers={**operator, "Accept": "application/json"},
    )

    people = statement.json()["per_person"]
    assert len(people) == 2
    [named] = [entry for entry in people if entry["person_id"] == person]
    assert (named["ssin"], named["lines"], named["total"]) == (new_number, 2, "60.00")
    assert statement.json()["totals"]["total"] == view["totals"]["total"] == "61.01"
