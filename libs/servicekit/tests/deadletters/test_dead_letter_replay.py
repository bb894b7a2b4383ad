"""A poison event is kept as a dead letter with its error, and after the cause is fixed an
operator replays it: its effect lands exactly once, however often the replay is repeated."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.testing import eventually

from ..messaging.harness import consultation_event
from .service_under_test import GROUP, Backend, Tally, running_tally

BACKENDS = [
    pytest.param("sql", id="sqlite+sql-log"),
    pytest.param("kafka", id="postgres+kafka", marks=[pytest.mark.kafka, pytest.mark.postgres]),
]


async def waiting_letters(tally: Tally) -> list[dict[str, Any]]:
    answer = await tally.client.get("/v1/operations/dead-letters")
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_poison_event_is_replayed_after_the_fix_and_applied_exactly_once(
    backend: Backend, tmp_path: Path
) -> None:
    async with running_tally(backend, tmp_path) as tally:
        known, unknown = random_gp_riziv(), random_gp_riziv()
        await tally.know_provider(known)
        good = consultation_event().model_copy(update={"provider": known})
        poison = consultation_event().model_copy(update={"provider": unknown})
        good_envelope, poison_envelope = await tally.publish(good, poison)

        letters = await eventually(lambda: waiting_letters(tally), lambda found: len(found) == 1)
        assert [(letter["consumer_group"], letter["event_id"]) for letter in letters] == [
            (GROUP, str(poison_envelope.id))
        ]
        letter = letters[0]
        assert letter["status"] == "waiting"
        assert letter["event_type"] == "mediprima.consultation.recorded"
        assert "is not in the reference data" in letter["error"]
        # On Kafka the two may sit on different partitions: the good one can come after.
        good_tallies = await eventually(
            lambda: tally.tallies_of(str(good_envelope.id)), lambda count: count == 1
        )
        assert good_tallies == 1
        assert await tally.tallies_of(str(poison_envelope.id)) == 0

        shown = (await tally.client.get(f"/v1/operations/dead-letters/{letter['id']}")).json()
        assert shown["payload"]["id"] == str(poison_envelope.id)
        assert shown["headers"] == {}

        # Replayed before the fix: refused again, still waiting, nothing applied.
        refused = await tally.client.post(f"/v1/operations/dead-letters/{letter['id']}/replay")
        assert refused.status_code == 409
        assert refused.json()["errors"][0]["code"] == "dead_letter.replay_failed"
        assert [item["replay_attempts"] for item in await waiting_letters(tally)] == [1]

        await tally.know_provider(unknown)
        # Two operators replay it at the same moment: one applies it, the other finds it done.
        url = f"/v1/operations/dead-letters/{letter['id']}/replay"
        both = await asyncio.gather(tally.client.post(url), tally.client.post(url))
        assert sorted(answer.json()["outcome"] for answer in both) == [
            "already_replayed",
            "replayed",
        ]
        again = await tally.client.post(url)
        assert again.json() == {"id": letter["id"], "outcome": "already_replayed"}
        everything = await tally.client.post("/v1/operations/dead-letters/replay-all")
        assert everything.json() == {"replayed": 0, "already_replayed": 0, "failed": []}

        assert await tally.tallies_of(str(poison_envelope.id)) == 1
        assert await waiting_letters(tally) == []
        done = (await tally.client.get("/v1/operations/dead-letters?status=replayed")).json()
        assert [(item["id"], item["status"]) for item in done["items"]] == [
            (letter["id"], "replayed")
        ]
        assert (
            done["items"][0]["replayed_at"].endswith("Z")
            or "+00:00" in (done["items"][0]["replayed_at"])
        )


async def test_replay_all_applies_every_waiting_letter_once_and_reports_the_ones_still_refused(
    tmp_path: Path,
) -> None:
    async with running_tally("sql", tmp_path) as tally:
        fixable, hopeless = random_gp_riziv(), random_gp_riziv()
        events = [consultation_event().model_copy(update={"provider": fixable}) for _ in range(2)]
        envelopes = await tally.publish(
            *events, consultation_event().model_copy(update={"provider": hopeless})
        )
        letters = await eventually(lambda: waiting_letters(tally), lambda found: len(found) == 3)
        assert len(letters) == 3
        await tally.know_provider(fixable)

        summary = (await tally.client.post("/v1/operations/dead-letters/replay-all")).json()

        assert summary["replayed"] == 2
        assert [failure["id"] for failure in summary["failed"]] == [
            letter["id"] for letter in letters if letter["event_id"] == str(envelopes[2].id)
        ]
        assert [await tally.tallies_of(str(e.id)) for e in envelopes] == [1, 1, 0]
        assert [item["event_id"] for item in await waiting_letters(tally)] == [str(envelopes[2].id)]


async def test_an_unknown_letter_is_404_and_only_operators_see_letters(tmp_path: Path) -> None:
    async with running_tally("sql", tmp_path) as tally:
        missing = await tally.client.get("/v1/operations/dead-letters/999")
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["code"] == "dead_letter.not_found"
        replay_missing = await tally.client.post("/v1/operations/dead-letters/999/replay")
        assert replay_missing.status_code == 404
        anonymous = await tally.client.get(
            "/v1/operations/dead-letters", headers={"Authorization": ""}
        )
        assert anonymous.status_code == 401
