"""The read model of decisions gives the same answers however often, and in whatever order, the
decision topic is delivered: a replay of the whole topic changes nothing."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from consultation.decisions.consumers import on_decision_version
from consultation.decisions.models import DecisionVersionView
from consultation.decisions.service import answer_for
from consultation.main import service
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_domain.coverage import CareQuestion
from servicekit.db import Database
from servicekit.testing import migrate, postgres_database

from .history import CARE_TYPES, DAYS, decision_topic, kafka_order

Answers = dict[tuple[str, str, str | None], tuple[Any, ...]]


async def fresh_database(tmp_path: Path) -> Database:
    url = f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
    await migrate(service, url)
    return Database(url)


async def consume(database: Database, events: Sequence[DecisionVersionPublished]) -> None:
    """Each event in its own transaction, as the consumer runner applies them."""
    for event in events:
        async with database.transaction() as session:
            await on_decision_version(
                session, Envelope.wrap(event, source="decision-registry", correlation_id="replay")
            )


async def answers(database: Database, people: Sequence[str]) -> Answers:
    found: Answers = {}
    async with database.reading() as session:
        for ssin in people:
            for day in DAYS:
                for care_type in CARE_TYPES:
                    question = CareQuestion(ssin=ssin, on=day, care_type=care_type)
                    answer = await answer_for(session, question)
                    found[(ssin, day.isoformat(), care_type)] = (
                        answer.covered,
                        answer.decision.decision_number if answer.decision else None,
                        answer.decision.version if answer.decision else None,
                        [cover.model_dump(mode="json") for cover in answer.covers],
                        answer.refusal.code if answer.refusal else None,
                    )
    return found


async def stored_versions(database: Database) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(DecisionVersionView)) or 0)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await fresh_database(tmp_path)
    yield database
    await database.dispose()


@pytest.mark.parametrize("seed", range(3))
async def test_replaying_the_whole_decision_topic_changes_no_answer(
    database: Database, seed: int
) -> None:
    rng = random.Random(seed)
    topic, people = decision_topic(rng)
    await consume(database, topic)
    before = await answers(database, people)

    await consume(database, topic)  # again, in order
    await consume(database, kafka_order(topic, rng))  # again, decisions interleaved

    assert await answers(database, people) == before
    assert await stored_versions(database) == len(topic)
    assert {answer[0] for answer in before.values()} == {True, False}  # the probe can tell


@pytest.mark.parametrize("seed", range(5))
async def test_any_delivery_order_builds_the_same_read_model(
    database: Database, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    topic, people = decision_topic(rng)
    await consume(database, topic)
    shuffled = [*topic, *rng.sample(topic, k=len(topic) // 2)]  # redeliveries among them
    rng.shuffle(shuffled)  # versions of one decision out of order too
    other = await fresh_database(tmp_path)

    await consume(other, shuffled)

    assert await answers(other, people) == await answers(database, people)
    assert await stored_versions(other) == len(topic)
    await other.dispose()


@pytest.mark.postgres
async def test_a_replay_on_postgresql_changes_no_answer() -> None:
    rng = random.Random(7)
    topic, people = decision_topic(rng)
    async with postgres_database("consult") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            await consume(database, topic)
            before = await answers(database, people)
            await consume(database, kafka_order(topic, rng))

            assert await answers(database, people) == before
            assert await stored_versions(database) == len(topic)
        finally:
            await database.dispose()
