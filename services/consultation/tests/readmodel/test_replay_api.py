"""Through the service's own consumer and HTTP API: replaying the whole decision topic, shuffled
and with redeliveries, leaves every consultation answer as it was."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, envelope, eventually

from .history import CARE_TYPES, DAYS, decision_topic

ONE_PARTITION = "replay"  # one key: the log hands the records over exactly in publish order


async def answers(
    client: httpx.AsyncClient, tokens: TokenFactory, people: list[str]
) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    headers = tokens.headers(Role.GP, random_gp_riziv())
    found = {}
    for ssin in people:
        for day in DAYS:
            for care_type in CARE_TYPES:
                response = await client.post(
                    "/v1/consultations",
                    json={"ssin": ssin, "date": day.isoformat(), "care_type": care_type},
                    headers=headers,
                )
                body = response.json()
                found[(ssin, day.isoformat(), care_type)] = {
                    key: value
                    for key, value in body.items()
                    if key not in ("consultation_id", "agreement_number")
                }
    return found


async def delivered_up_to(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    tmp_path: Path,
    events: list[DecisionVersionPublished],
) -> None:
    """Publish `events` on one partition, then a marker; return once the marker is applied."""
    marker = example_decision_version_published()
    await deliver(tmp_path, *[envelope(event) for event in events], marker, key=ONE_PARTITION)
    answer = await eventually(
        lambda: client.post(
            "/v1/consultations",
            json={"ssin": marker.ssin, "date": "2025-02-14"},
            headers=tokens.headers(Role.GP, random_gp_riziv()),
        ),
        lambda response: response.json()["covered"],
    )
    assert answer.json()["covered"]


async def test_replaying_the_shuffled_decision_topic_leaves_every_answer_unchanged(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    rng = random.Random(11)
    topic, people = decision_topic(rng)
    await delivered_up_to(client, tokens, tmp_path, topic)
    before = await answers(client, tokens, people)
    replay = [*topic, *topic]
    rng.shuffle(replay)

    await delivered_up_to(client, tokens, tmp_path, replay)

    assert await answers(client, tokens, people) == before
    assert any(answer["covered"] for answer in before.values())
    assert any(answer["reasons"] for answer in before.values())
