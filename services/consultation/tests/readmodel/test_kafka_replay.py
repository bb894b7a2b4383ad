"""On Kafka + PostgreSQL: the service answers from the highest version of every decision after
the whole decision topic arrived twice, decisions interleaved as Kafka delivers them."""

from __future__ import annotations

import asyncio
import random
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from consultation.main import service
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.registry import serialize_envelope
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_domain.coverage import CareQuestion, resolve_coverage
from mediprima_domain.testing import history_about
from servicekit.auth import Role
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus
from servicekit.namespace import NamespacedBus
from servicekit.testing import (
    KAFKA_ENV,
    TokenFactory,
    postgres_database,
    required_env,
    running_service,
)

from .history import DAYS, decision_topic, kafka_order

Probe = tuple[str, str, str | None]


def expected_answers(
    topic: list[DecisionVersionPublished], people: list[str]
) -> dict[Probe, tuple[Any, ...]]:
    """The oracle: the shared resolution on every version, computed without the service."""
    expected = {}
    for ssin in people:
        history = history_about(topic, ssin)
        for day in DAYS:
            question = CareQuestion(ssin=ssin, on=day, care_type="general_medicine")
            answer = resolve_coverage(history, question)
            expected[(ssin, day.isoformat(), "general_medicine")] = (
                answer.covered,
                answer.decision.version if answer.decision else None,
                [answer.refusal.code] if answer.refusal else [],
            )
    return expected


async def answers(
    client: httpx.AsyncClient, headers: dict[str, str], probes: list[Probe]
) -> dict[Probe, tuple[Any, ...]]:
    found = {}
    for ssin, day, care_type in probes:
        response = await client.post(
            "/v1/consultations",
            json={"ssin": ssin, "date": day, "care_type": care_type},
            headers=headers,
        )
        body = response.json()
        found[(ssin, day, care_type)] = (
            body["covered"],
            body["version"],
            [reason["code"] for reason in body["reasons"]],
        )
    return found


@pytest.mark.kafka
@pytest.mark.postgres
async def test_the_topic_delivered_twice_on_kafka_answers_from_the_highest_versions(
    tmp_path: Path,
) -> None:
    rng = random.Random(3)
    topic, people = decision_topic(rng)
    expected = expected_answers(topic, people)
    tokens = TokenFactory.create(tmp_path / "keys")
    prefix = f"t{uuid.uuid4().hex[:8]}."
    servers = required_env(KAFKA_ENV)
    bus = NamespacedBus(build_bus("kafka", bootstrap_servers=servers), prefix)
    async with postgres_database("consult") as url:
        settings = service.settings_class(
            database_url=url,
            bus="kafka",
            kafka_bootstrap_servers=servers,
            topic_prefix=prefix,
            var_dir=tmp_path,
            **tokens.settings_overrides(),
        )
        async with running_service(service, settings) as client:
            await bus.start()
            try:
                for delivery in (topic, kafka_order(topic, rng)):
                    await bus.publish(
                        [
                            OutgoingRecord(
                                event.topic,
                                event.decision_number,
                                serialize_envelope(
                                    Envelope.wrap(event, source="test", correlation_id="kafka")
                                ),
                                {},
                            )
                            for event in delivery
                        ]
                    )
            finally:
                await bus.close()
            headers = tokens.headers(Role.GP, random_gp_riziv())
            found: dict[Probe, tuple[Any, ...]] = {}
            for _ in range(60):
                found = await answers(client, headers, list(expected))
                if found == expected:
                    break
                await asyncio.sleep(0.5)

    assert found == expected
    assert {answer[0] for answer in expected.values()} == {True, False}
