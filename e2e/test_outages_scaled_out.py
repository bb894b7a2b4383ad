"""Dependencies down on the scaled-out backend: the service's PostgreSQL and then its Kafka broker
stopped for real and started again (a private pair: the suite's shared servers are untouched).

While the database is down, writes answer 503 with Retry-After and store nothing, and an event
that arrives waits on the topic, not dead-lettered; while the broker is down, writes are stored
with their event in the outbox. Once each is back, everything flows by itself."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from consultation.main import service
from e2e.outages import consult, dead_letters
from e2e.private_servers import PrivateServers, private_servers
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.topics import CONSULTATIONS, DECISIONS
from mediprima_contracts.registry import parse_envelope, serialize_envelope
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.bus.api import EventBus, OutgoingRecord
from servicekit.bus.factory import build_bus
from servicekit.namespace import NamespacedBus
from servicekit.testing import TokenFactory, envelope, eventually, read_topic, running_service

RECOVERY_ATTEMPTS = 600
"""Probes of `eventually` (0.1 s apart, plus the probe) while clients and workers reconnect: a
Kafka request in flight when the broker stopped gives up only after its own timeout (40 s)."""

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateServers]:
    with private_servers(tmp_path_factory.mktemp("servers")) as started:
        yield started


@pytest.fixture
async def bus(servers: PrivateServers) -> AsyncIterator[tuple[EventBus, str]]:
    prefix = f"t{uuid.uuid4().hex[:8]}."
    inner = build_bus(
        "kafka",
        bootstrap_servers=servers.kafka_bootstrap_servers,
        kafka_security=servers.kafka_security(),
    )
    namespaced = NamespacedBus(inner, prefix)
    await namespaced.start()
    await namespaced.create_topics([DECISIONS])
    try:
        yield namespaced, prefix
    finally:
        await namespaced.close()


async def publish_decision(bus: EventBus, decision: DecisionVersionPublished) -> None:
    wrapped = envelope(decision)
    await bus.publish([OutgoingRecord(DECISIONS, wrapped.subject, serialize_envelope(wrapped), {})])


async def ready_status(client: httpx.AsyncClient) -> int:
    return (await client.get("/ready")).status_code


async def covered_by(
    client: httpx.AsyncClient, gp: dict[str, str], decision: DecisionVersionPublished
) -> httpx.Response:
    return await eventually(
        lambda: consult(client, gp, decision.ssin),
        lambda answer: answer.status_code == 201 and answer.json()["covered"],
        attempts=RECOVERY_ATTEMPTS,
    )


async def consultation_ids_published(bus: EventBus, waited: str) -> list[str]:
    async def everything() -> list[str]:
        records = await read_topic(bus, CONSULTATIONS, expected=1, patience=2.0)
        events = [parse_envelope(record.value).data for record in records]
        return [e.consultation_id for e in events if isinstance(e, ConsultationRecorded)]

    return await eventually(everything, lambda ids: waited in ids, attempts=RECOVERY_ATTEMPTS)


async def test_the_database_and_the_broker_stopped_and_started_again(
    servers: PrivateServers, bus: tuple[EventBus, str], tmp_path: Path
) -> None:
    events, prefix = bus
    tokens = TokenFactory.create(tmp_path / "keys")
    settings = service.settings_class(
        database_url=servers.database_url("consultation"),
        bus="kafka",
        kafka_bootstrap_servers=servers.kafka_bootstrap_servers,
        kafka_security=servers.kafka_security(),
        topic_prefix=prefix,
        var_dir=tmp_path,
        outage_retry_after_seconds=3,
        **tokens.settings_overrides(),
    )
    gp = tokens.headers(Role.GP, random_gp_riziv())
    ssin = random_ssin()
    during_database_outage = example_decision_version_published()
    after_broker_outage = example_decision_version_published()
    async with running_service(service, settings) as client:
        assert (await consult(client, gp, ssin)).status_code == 201

        await servers.halt("postgres")
        refused = await consult(client, gp, ssin)
        ready_without_database = await client.get("/ready")
        await publish_decision(events, during_database_outage)
        await servers.resume("postgres")

        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["retry-after"] == "3"
        assert [error["code"] for error in refused.json()["errors"]] == ["database.unavailable"]
        assert ready_without_database.status_code == 503
        assert "database" in ready_without_database.json()["detail"]
        assert (
            await eventually(
                lambda: ready_status(client),
                lambda status: status == 200,
                attempts=RECOVERY_ATTEMPTS,
            )
            == 200
        )
        covered = await covered_by(client, gp, during_database_outage)
        assert covered.json()["decision_number"] == during_database_outage.decision_number
        trail = await client.get("/v1/consultations", params={"ssin": ssin}, headers=gp)
        assert trail.json()["total"] == 1  # nothing of the refused one

        await servers.halt("kafka")
        ready_without_broker = await client.get("/ready")
        stored = await consult(client, gp, ssin)  # its event waits in the outbox
        await servers.resume("kafka")

        assert ready_without_broker.status_code == 503
        assert "bus" in ready_without_broker.json()["detail"]
        assert stored.status_code == 201
        await publish_decision(events, after_broker_outage)
        covered = await covered_by(client, gp, after_broker_outage)
        assert covered.json()["decision_number"] == after_broker_outage.decision_number
        waited = stored.json()["consultation_id"]
        assert waited in await consultation_ids_published(events, waited)
        assert await dead_letters(events) == []
        assert await ready_status(client) == 200
