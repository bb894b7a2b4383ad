"""After one invoice's walk, each service's /metrics shows what the walk did (issue 15 item 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from e2e.observing import Samples, increase, scrape, series, value
from e2e.platform import running_platform
from e2e.walkthrough import Actors, walk_invoice_through
from mediprima_contracts.events.topics import INVOICES
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus
from servicekit.testing import TokenFactory, eventually

HTTP = "mediprima_http_request_duration_seconds_count"
HANDLED = "mediprima_consumer_handling_seconds_count"
LAG = "mediprima_consumer_lag_events"
DEAD_LETTERS = "mediprima_consumer_dead_letters_total"
BACKLOG = "mediprima_outbox_backlog_events"
OLDEST = "mediprima_outbox_oldest_unsent_age_seconds"
GROUPS_READING_INVOICES = ("tariffing.invoices", "settlement.invoices", "consultation.payments")


@pytest.mark.e2e
async def test_each_service_reports_what_the_walk_did(tmp_path: Path) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    actors = Actors.fresh(tokens.headers)
    # A small bad-token window, so the walk's end can fill it and see one refusal counted.
    settings = {"consultation": {"bad_tokens_per_address": "2/minute"}}
    async with running_platform("sql", tmp_path, tokens, settings=settings) as clients:
        before = await scrape_all(clients)
        result = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())
        await publish_unreadable_invoice_event(tmp_path)
        for _ in range(3):
            refused = await clients["consultation"].post(
                "/v1/consultations", json={}, headers={"Authorization": "Bearer not-a-token"}
            )
        assert refused.status_code == 429
        after = await eventually(
            lambda: scrape_all(clients), lambda samples: settled(samples, before)
        )

    invoicing = after["invoicing"]
    # Invoices by status: read from invoicing's own database, exactly the walk's one invoice.
    assert value(invoicing, "mediprima_invoicing_invoices", status="paid") == 1
    for status in ("received", "accepted", "partially_accepted", "rejected", "cancelled"):
        assert value(invoicing, "mediprima_invoicing_invoices", status=status) == 0
    # Its delays: one verdict, one paid line.
    grew = delta(before, after)
    assert grew("invoicing", "mediprima_invoicing_verdict_delay_seconds_count") == 1
    assert grew("invoicing", "mediprima_invoicing_payment_delay_days_count") == 1
    # Requests by route template and status.
    assert grew("decision-registry", HTTP, **route("POST", "/v1/decisions", "201")) == 1
    assert grew("invoicing", HTTP, **route("POST", "/v1/invoices", "202")) == 1
    assert grew("invoicing", HTTP, **route("POST", "/v1/payment-runs", "200")) == 1
    consultations = grew("consultation", HTTP, **route("POST", "/v1/consultations", "201"))
    assert consultations >= 1
    assert result.invoice_id not in str(series(invoicing, HTTP))  # templates, not paths
    # One settlement run timed per run the walk asked for.
    runs = grew("settlement", HTTP, **route("POST", "/v1/settlements", "202"))
    assert runs >= 1
    assert grew("settlement", "mediprima_settlement_run_duration_seconds_count", step="run") == runs
    # Consumers: each event of the walk handled once by each group that reads it.
    handled = {
        ("tariffing", "tariffing.invoices", "mediprima.invoices"): 1,  # submitted
        ("invoicing", "invoicing.pricing", "mediprima.pricing"): 1,  # priced
        ("settlement", "settlement.invoices", "mediprima.invoices"): 1,  # paid
        ("consultation", "consultation.decisions", "mediprima.decisions"): 1,
        ("tariffing", "tariffing.read-models", "mediprima.decisions"): 1,
        ("tariffing", "tariffing.read-models", "mediprima.consultations"): consultations,
    }
    for (service, group, topic), count in handled.items():
        labels = {"service": service, "group": group, "topic": topic}
        assert grew(service, HANDLED, **labels) == count, labels
    # The unreadable event: dead-lettered once by every group reading the topic.
    for group in GROUPS_READING_INVOICES:
        service = group.split(".")[0]
        labels = {"service": service, "group": group, "topic": INVOICES}
        assert grew(service, DEAD_LETTERS, **labels) == 1, labels
    # The third bad token from one address.
    refusals = "mediprima_rate_limit_refusals_total"
    assert grew("consultation", refusals, service="consultation", code="auth.too_many_bad_tokens")
    # Nothing left behind: no lag, no backlog.
    for service, samples in after.items():
        lags = [labels for labels in series(samples, LAG) if labels["service"] == service]
        assert lags, service
        assert all(value(samples, LAG, **labels) == 0 for labels in lags), service
        assert value(samples, BACKLOG, service=service) == 0
        assert value(samples, OLDEST, service=service) == 0


def route(method: str, path: str, status: str) -> dict[str, str]:
    return {"method": method, "route": path, "status": status}


def delta(before: dict[str, Samples], after: dict[str, Samples]) -> Callable[..., float]:
    def grew(scraped: str, name: str, **labels: str) -> float:
        """The increase on `scraped`'s /metrics; servicekit's series are labelled by service."""
        if name.startswith(("mediprima_http", "mediprima_consumer", "mediprima_rate")):
            labels = {"service": scraped, **labels}
        return increase(before[scraped], after[scraped], name, **labels)

    return grew


async def scrape_all(clients: dict[str, httpx.AsyncClient]) -> dict[str, Samples]:
    return {name: await scrape(client) for name, client in clients.items()}


def settled(samples: dict[str, Samples], before: dict[str, Samples]) -> bool:
    """Every outbox empty, every consultation of the walk (the GP asked until covered, each
    one an event) applied by tariffing, and the poison event dead-lettered by every group
    reading it."""
    grew = delta(before, samples)
    empty = all(value(found, BACKLOG, service=name) == 0 for name, found in samples.items())
    consultations = grew("consultation", HTTP, **route("POST", "/v1/consultations", "201"))
    applied = grew(
        "tariffing", HANDLED, group="tariffing.read-models", topic="mediprima.consultations"
    )
    dead_lettered = all(
        grew(group.split(".")[0], DEAD_LETTERS, group=group, topic=INVOICES) == 1
        for group in GROUPS_READING_INVOICES
    )
    return empty and applied == consultations and dead_lettered


async def publish_unreadable_invoice_event(workdir: Path) -> None:
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish([OutgoingRecord(topic=INVOICES, key="poison", value=b"not an event")])
    finally:
        await bus.close()
