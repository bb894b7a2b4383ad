"""`GET /v1/operations/status`: what `mediprima status` prints, over HTTP for the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.testing import eventually

from .deadletters.service_under_test import GROUP, Backend, running_tally
from .messaging.harness import consultation_event

BACKENDS = [
    pytest.param("sql", id="sqlite+sql-log"),
    pytest.param("kafka", id="postgres+kafka", marks=[pytest.mark.kafka, pytest.mark.postgres]),
]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_status_shows_the_backlog_the_lag_and_the_letters_waiting(
    backend: Backend, tmp_path: Path
) -> None:
    async with running_tally(backend, tmp_path) as tally:
        known = random_gp_riziv()
        await tally.know_provider(known)
        await tally.publish(
            consultation_event().model_copy(update={"provider": known}),
            consultation_event().model_copy(update={"provider": random_gp_riziv()}),
        )

        async def status() -> dict[str, Any]:
            answer = await tally.client.get("/v1/operations/status")
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            return body

        settled = await eventually(
            status,
            lambda body: (
                body["dead_letters_waiting"] == {GROUP: 1} and body["consumer_lag"][0]["lag"] == 0
            ),
        )

    assert settled == {
        "service": "tally",
        "bus": backend,
        "outbox": {"unsent": 0, "oldest_unsent_age_seconds": None, "parked": 0},
        "dead_letters_waiting": {GROUP: 1},
        "consumer_lag": [{"group": GROUP, "topic": CONSULTATIONS, "lag": 0}],
    }


async def test_status_is_for_operators_only(tmp_path: Path) -> None:
    async with running_tally("sql", tmp_path) as tally:
        anonymous = await tally.client.get("/v1/operations/status", headers={"Authorization": ""})

    assert anonymous.status_code == 401
