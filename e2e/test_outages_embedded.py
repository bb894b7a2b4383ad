"""Dependencies down on the embedded backend (SQLite + the SQL event log): a database file or
event log locked by another process beyond the busy timeout. Refused writes answer 503 with
Retry-After and store nothing; events wait in the outbox or on the log; consumers neither
dead-letter nor lose their place; everything recovers once the lock is gone."""

from __future__ import annotations

from pathlib import Path

import httpx

from consultation.main import service
from e2e.outages import consult, dead_letters, write_lock
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.bus.api import EventBus
from servicekit.bus.factory import build_bus
from servicekit.testing import (
    TokenFactory,
    deliver,
    embedded_settings,
    eventually,
    read_topic,
    running_service,
)

BUSY_TIMEOUT_MS = 300
RECOVERY_ATTEMPTS = 300
"""Probes of `eventually` while a worker comes back from its pause after failures in a row."""


async def ready_status(client: httpx.AsyncClient) -> int:
    return (await client.get("/ready")).status_code


async def consultations_published(
    bus: EventBus, *, including: set[str]
) -> list[ConsultationRecorded]:
    """Every consultation on the topic, once the ones `including` names are there."""

    async def everything() -> list[ConsultationRecorded]:
        records = await read_topic(bus, CONSULTATIONS, expected=len(including), patience=1.0)
        events = [parse_envelope(record.value).data for record in records]
        return [event for event in events if isinstance(event, ConsultationRecorded)]

    return await eventually(
        everything,
        lambda events: including <= {event.consultation_id for event in events},
        attempts=RECOVERY_ATTEMPTS,
    )


async def test_a_locked_service_database_refuses_writes_with_503_and_recovers(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    settings = embedded_settings(
        service,
        tmp_path,
        tokens,
        database_busy_timeout_ms=BUSY_TIMEOUT_MS,
        outage_retry_after_seconds=7,
    )
    gp = tokens.headers(Role.GP, random_gp_riziv())
    ssin = random_ssin()
    decision = example_decision_version_published()
    bus = build_bus("sql", sql_url=settings.bus_url)
    await bus.start()
    async with running_service(service, settings) as client:
        first = await consult(client, gp, ssin)
        assert first.status_code == 201

        async with write_lock(tmp_path / "consultation.db"):
            refused = await consult(client, gp, ssin)
            ready_while_locked = await client.get("/ready")
            # Arrives while the consumer cannot write: it must wait, not be dead-lettered.
            await deliver(tmp_path, decision)
            reads_while_locked = await client.get(
                "/v1/consultations", params={"ssin": ssin}, headers=gp
            )

        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["retry-after"] == "7"
        assert [error["code"] for error in refused.json()["errors"]] == ["database.unavailable"]
        assert ready_while_locked.status_code == 503
        assert "database" in ready_while_locked.json()["detail"]
        assert reads_while_locked.status_code == 200

        assert await eventually(lambda: ready_status(client), lambda status: status == 200) == 200
        second = await consult(client, gp, ssin)
        assert second.status_code == 201
        trail = await client.get("/v1/consultations", params={"ssin": ssin}, headers=gp)
        assert trail.json()["total"] == 2  # nothing of the refused one
        covered = await eventually(
            lambda: consult(client, gp, decision.ssin),
            lambda answer: answer.json()["covered"],
            attempts=RECOVERY_ATTEMPTS,
        )
        assert covered.json()["decision_number"] == decision.decision_number
        try:
            ids = {answer.json()["consultation_id"] for answer in (first, second)}
            published = await consultations_published(bus, including=ids)
            # Once each: the relay marks what it published before it publishes anything again.
            assert sorted(event.consultation_id for event in published if event.ssin == ssin) == (
                sorted(ids)
            )
            assert await dead_letters(bus) == []
        finally:
            await bus.close()


async def test_with_the_event_log_locked_events_wait_in_the_outbox_and_flow_once_it_is_free(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    settings = embedded_settings(
        service, tmp_path, tokens, database_busy_timeout_ms=BUSY_TIMEOUT_MS
    )
    gp = tokens.headers(Role.GP, random_gp_riziv())
    before, after = example_decision_version_published(), example_decision_version_published()
    bus = build_bus("sql", sql_url=settings.bus_url)
    await bus.start()
    async with running_service(service, settings) as client:
        await deliver(tmp_path, before)
        await eventually(
            lambda: consult(client, gp, before.ssin), lambda answer: answer.json()["covered"]
        )

        async with write_lock(tmp_path / "bus.db"):
            ready_while_locked = await client.get("/ready")
            # The service's own database is fine: the answer is stored, its event waits in the
            # outbox while the relay tries, fails and backs off.
            answered = await consult(client, gp, after.ssin)

        assert ready_while_locked.status_code == 503
        assert "bus" in ready_while_locked.json()["detail"]
        assert answered.status_code == 201

        await deliver(tmp_path, after)
        covered = await eventually(
            lambda: consult(client, gp, after.ssin),
            lambda answer: answer.json()["covered"],
            attempts=RECOVERY_ATTEMPTS,
        )
        assert covered.json()["decision_number"] == after.decision_number
        assert await ready_status(client) == 200
        try:
            waited = answered.json()["consultation_id"]
            published = await consultations_published(bus, including={waited})
            assert [event.consultation_id for event in published].count(waited) == 1
            assert await dead_letters(bus) == []
        finally:
            await bus.close()
