"""/metrics reads the outbox backlog and its oldest unsent event from the service's database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from e2e.observing import scrape, value
from mediprima_contracts.testing import (
    decision_request_body,
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.registry import load_service
from servicekit.testing import (
    TokenFactory,
    embedded_settings,
    postgres_database,
    running_service,
)


async def test_an_event_the_relay_has_not_published_shows_as_backlog(tmp_path: Path) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    definition = load_service("decision-registry")
    # No relay: the decision's event stays in the outbox, as when the bus is down.
    settings = embedded_settings(definition, tmp_path, tokens, run_relay=False)
    ocmw = random_enterprise_number()
    async with running_service(definition, settings) as client:
        empty = await scrape(client)
        response = await client.post(
            "/v1/decisions",
            json=decision_request_body(
                today=datetime.now(UTC).date(), ssin=random_ssin(), ocmw=ocmw
            ),
            headers=tokens.headers(Role.OCMW, ocmw),
        )
        assert response.status_code == 201, response.text
        waiting = await scrape(client)

    service = {"service": "decision-registry"}
    assert value(empty, "mediprima_outbox_backlog_events", **service) == 0
    assert value(empty, "mediprima_outbox_oldest_unsent_age_seconds", **service) == 0
    assert value(waiting, "mediprima_outbox_backlog_events", **service) == 1
    assert value(waiting, "mediprima_outbox_oldest_unsent_age_seconds", **service) > 0


@pytest.mark.postgres
async def test_invoices_by_status_and_backlog_are_read_from_postgresql(tmp_path: Path) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    definition = load_service("invoicing")
    gp = random_gp_riziv()
    async with postgres_database("metrics") as database_url:
        settings = embedded_settings(
            definition,
            tmp_path,
            tokens,
            database_url=database_url,
            run_relay=False,
            run_consumers=False,
        )
        async with running_service(definition, settings) as client:
            response = await client.post(
                "/v1/invoices",
                json={
                    "ssin": random_ssin(),
                    "lines": [
                        {
                            "line_number": 1,
                            "date_of_care": datetime.now(UTC).date().isoformat(),
                            "code": "101032",
                            "amount": "30.00",
                        }
                    ],
                },
                headers={**tokens.headers(Role.GP, gp), "Idempotency-Key": str(uuid.uuid4())},
            )
            assert response.status_code == 202, response.text
            samples = await scrape(client)

    assert value(samples, "mediprima_invoicing_invoices", status="received") == 1
    assert value(samples, "mediprima_invoicing_invoices", status="paid") == 0
    assert value(samples, "mediprima_outbox_backlog_events", service="invoicing") == 1
    assert value(samples, "mediprima_outbox_oldest_unsent_age_seconds", service="invoicing") > 0
