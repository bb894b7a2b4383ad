"""I-05: an operator follows a payment run while it pays, provider by provider, and lists the
runs made; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicing.main import service
from invoicing.payments import runs
from invoicing.payments.service import run_payments
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.db import Database
from servicekit.testing import TokenFactory, embedded_settings, running_service

from ..support import Gp, operator
from .seeding import BACKENDS, add_invoice, database_url, invoicing_database

ASYNC = {"Prefer": "respond-async"}


@dataclass(frozen=True)
class Invoicing:
    http: httpx.AsyncClient
    database: Database
    operator: dict[str, str]

    async def seed(self, providers: int) -> list[str]:
        """Providers with one adjudicated invoice each (two accepted lines: 70.50 owed)."""
        riziv_numbers = sorted(str(random_gp_riziv()) for _ in range(providers))
        async with self.database.transaction() as session:
            for provider in riziv_numbers:
                add_invoice(session, provider)
        return riziv_numbers

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.operator)


@pytest.fixture(params=BACKENDS)
async def invoicing(
    request: pytest.FixtureRequest, tmp_path: Path, tokens: TokenFactory
) -> AsyncIterator[Invoicing]:
    """The service on the backend's database (started and migrated), and that database."""
    async with database_url(request.param, tmp_path) as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as http:
            database = Database(url)
            try:
                yield Invoicing(http, database, operator(tokens))
            finally:
                await database.dispose()


async def test_i05_a_finished_run_shows_its_progress_and_each_provider_paid(
    invoicing: Invoicing,
) -> None:
    providers = await invoicing.seed(2)

    started = await invoicing.http.post("/v1/payment-runs", headers=invoicing.operator)

    assert started.status_code == 200
    run_id = started.json()["run_id"]
    assert started.headers["Location"] == f"/v1/payment-runs/{run_id}"
    seen = await invoicing.get(started.headers["Location"])
    assert seen.status_code == 200
    run = seen.json()
    assert run["status"] == "finished"
    assert run["finished_at"] is not None
    assert (run["providers_to_pay"], run["providers_paid"]) == (2, 2)
    assert (run["paid_invoices"], run["amount"]) == (2, "141.00")
    assert [payment["provider"] for payment in run["payments"]] == providers
    assert [payment["amount"] for payment in run["payments"]] == ["70.50", "70.50"]
    assert run == started.json()


async def test_i05_a_run_started_to_follow_answers_202_with_where_to_follow_it(
    invoicing: Invoicing,
) -> None:
    await invoicing.seed(1)

    started = await invoicing.http.post("/v1/payment-runs", headers={**invoicing.operator, **ASYNC})

    assert started.status_code == 202
    assert started.headers["Preference-Applied"] == "respond-async"
    assert started.json()["status"] == "running"
    assert started.json()["providers_paid"] == 0
    assert started.json()["payments"] == []
    location = started.headers["Location"]
    assert location == f"/v1/payment-runs/{started.json()['run_id']}"
    followed = await invoicing.get(location)  # the test client waits for the background work
    assert followed.json()["status"] == "finished"
    assert (followed.json()["providers_paid"], followed.json()["paid_invoices"]) == (1, 1)


async def test_i05_runs_are_listed_newest_first_page_by_page(invoicing: Invoicing) -> None:
    made = []
    for _ in range(3):
        await invoicing.seed(1)
        made.append(
            (await invoicing.http.post("/v1/payment-runs", headers=invoicing.operator)).json()
        )

    first = await invoicing.get("/v1/payment-runs", limit=2)
    second = await invoicing.get("/v1/payment-runs", limit=2, offset=2)
    running = await invoicing.get("/v1/payment-runs", status="running")
    finished = await invoicing.get("/v1/payment-runs", status="finished")

    newest_first = [run["run_id"] for run in reversed(made)]
    assert [run["run_id"] for run in first.json()["items"]] == newest_first[:2]
    assert first.json()["next_offset"] == 2
    assert [run["run_id"] for run in second.json()["items"]] == newest_first[2:]
    assert second.json()["next_offset"] is None
    assert running.json() == {"items": [], "next_offset": None}
    assert len(finished.json()["items"]) == 3
    summary = first.json()["items"][0]
    assert (summary["status"], summary["providers_paid"], summary["amount"]) == (
        "finished",
        1,
        "70.50",
    )
    assert "payments" not in summary


async def test_i05_only_operators_follow_runs_and_an_unknown_run_is_404(
    invoicing: Invoicing, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    run_id = (await invoicing.http.post("/v1/payment-runs", headers=invoicing.operator)).json()[
        "run_id"
    ]

    listed = await invoicing.http.get("/v1/payment-runs", headers=gp.headers)
    one = await invoicing.http.get(f"/v1/payment-runs/{run_id}", headers=gp.headers)
    unknown = await invoicing.get("/v1/payment-runs/no-such-run")

    assert (listed.status_code, one.status_code) == (403, 403)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert [error["code"] for error in unknown.json()["errors"]] == ["payment_run.not_found"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_progress_moves_only_when_a_providers_payment_commits(
    backend: str, tmp_path: Path
) -> None:
    """Read by another session at each step of a run: before a provider's transaction commits
    the run does not count it; once committed it does, with its invoices and amount."""
    async with invoicing_database(backend, tmp_path) as database:
        async with database.transaction() as session:
            for provider in sorted(random_gp_riziv() for _ in range(3)):
                add_invoice(session, provider)
        seen: dict[str, tuple[str, int, int, int, str]] = {}

        async def observe(stage: str, count: int) -> None:
            async with database.reading() as session:
                [run] = (await runs.list_runs(session, status=None, offset=0, limit=1)).items
            seen[f"{stage}:{count}"] = (
                run.status,
                run.providers_to_pay,
                run.providers_paid,
                run.paid_invoices,
                str(run.amount),
            )

        result = await run_payments(database, checkpoint=observe)

        assert seen == {
            "claimed:1": ("running", 3, 0, 0, "0.00"),
            "committed:1": ("running", 3, 1, 1, "70.50"),
            "claimed:2": ("running", 3, 1, 1, "70.50"),
            "committed:2": ("running", 3, 2, 2, "141.00"),
            "claimed:3": ("running", 3, 2, 2, "141.00"),
            "committed:3": ("running", 3, 3, 3, "211.50"),
        }
        assert (result.status, result.providers_paid, result.amount) == (
            "finished",
            3,
            Decimal("211.50"),
        )


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_a_run_says_when_it_last_moved_so_a_stopped_one_can_be_told_apart(
    backend: str, tmp_path: Path
) -> None:
    """Started, each provider's commit, finished: each moves `last_progress_at` to that step's
    clock; between two commits it stays where the last one put it."""
    ticks = iter(datetime(2026, 11, 20, 9, minute, tzinfo=UTC) for minute in range(60))
    async with invoicing_database(backend, tmp_path) as database:
        async with database.transaction() as session:
            for provider in sorted(random_gp_riziv() for _ in range(2)):
                add_invoice(session, provider)
        seen: dict[str, datetime] = {}

        async def observe(stage: str, count: int) -> None:
            async with database.reading() as session:
                [run] = (await runs.list_runs(session, status=None, offset=0, limit=1)).items
            seen[f"{stage}:{count}"] = run.last_progress_at

        result = await run_payments(database, clock=lambda: next(ticks), checkpoint=observe)

    # minute 0: started; 1: planned; 2 and 3: the two providers paid; 4: finished
    assert seen == {
        "claimed:1": datetime(2026, 11, 20, 9, 1, tzinfo=UTC),
        "committed:1": datetime(2026, 11, 20, 9, 2, tzinfo=UTC),
        "claimed:2": datetime(2026, 11, 20, 9, 2, tzinfo=UTC),
        "committed:2": datetime(2026, 11, 20, 9, 3, tzinfo=UTC),
    }
    assert result.last_progress_at == result.finished_at == datetime(2026, 11, 20, 9, 4, tzinfo=UTC)
