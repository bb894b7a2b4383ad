"""Invoice intake: invoices per second through end-of-day batches versus one request each.

Baseline: the same invoices posted one request each to the same service in this run (SQLite and
the SQL event log; PostgreSQL too when MEDIPRIMA_TEST_POSTGRES_URL is set), so the ratio says
what a batch saves a GP's software.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.report import Measurement
from invoicing.main import service
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service

INVOICES, BATCH = 2_000, 1_000


def _invoice() -> dict[str, Any]:
    return {
        "ssin": str(random_ssin()),
        "lines": [
            {"line_number": 1, "date_of_care": "2026-01-05", "code": "101032", "amount": "33.51"},
            {"line_number": 2, "date_of_care": "2026-01-05", "code": "102771", "amount": "38.16"},
        ],
    }


@asynccontextmanager
async def _invoicing(
    workdir: Path, database_url: str | None
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    tokens = TokenFactory.create(workdir / "keys")
    settings = embedded_settings(service, workdir, tokens, run_relay=False, rate_limits=False)
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    async with running_service(service, settings) as client:
        yield client, tokens.headers(Role.GP, random_gp_riziv())


async def _one_by_one(client: httpx.AsyncClient, gp: dict[str, str]) -> float:
    started = time.perf_counter()
    for _ in range(INVOICES):
        response = await client.post(
            "/v1/invoices", json=_invoice(), headers={**gp, "Idempotency-Key": uuid.uuid4().hex}
        )
        assert response.status_code == 202, response.text
    return INVOICES / (time.perf_counter() - started)


async def _batched(client: httpx.AsyncClient, gp: dict[str, str]) -> float:
    started = time.perf_counter()
    for _ in range(INVOICES // BATCH):
        response = await client.post(
            "/v1/invoice-batches",
            json={"invoices": [_invoice() for _ in range(BATCH)]},
            headers={**gp, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.json()["received"] == BATCH, response.text
    return INVOICES / (time.perf_counter() - started)


async def measure() -> list[Measurement]:
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        async with _invoicing(Path(workdir), None) as (client, gp):
            baseline = await _one_by_one(client, gp)
            rate = await _batched(client, gp)
        results.append(
            Measurement("sqlite: invoices in batches of 1,000", rate, "one per request", baseline)
        )
    if os.environ.get("MEDIPRIMA_TEST_POSTGRES_URL"):
        with tempfile.TemporaryDirectory() as workdir:
            async with (
                postgres_database("bench") as url,
                _invoicing(Path(workdir), url) as (client, gp),
            ):
                baseline = await _one_by_one(client, gp)
                rate = await _batched(client, gp)
            results.append(
                Measurement(
                    "postgres: invoices in batches of 1,000", rate, "one per request", baseline
                )
            )
    return results
