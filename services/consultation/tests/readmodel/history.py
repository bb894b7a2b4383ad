"""A made-up decision topic: decisions of a few people going through every kind of change."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_ssin

CARE_TYPES = (None, "general_medicine", "hospitalisation")
DAYS = tuple(
    date.fromisoformat(day)
    for day in ("2025-01-15", "2025-02-05", "2025-02-14", "2025-03-10", "2025-03-20", "2025-04-15")
)


def _next(previous: DecisionVersionPublished, **changes: Any) -> DecisionVersionPublished:
    return DecisionVersionPublished.model_validate(
        {**previous.model_dump(), "version": previous.version + 1, **changes}
    )


def _life(first: DecisionVersionPublished, changes: int) -> list[DecisionVersionPublished]:
    january = {"start": "2025-01-01", "end": "2025-01-31"}
    until_stop = {"start": "2025-01-01", "end": "2025-03-15"}
    steps: list[dict[str, Any]] = [
        {"change_kind": "replaced", "coverages": [example_coverage(period=january)]},
        {"change_kind": "suspended", "status": "suspended", "effective_from": "2025-02-10"},
        {"change_kind": "reactivated", "status": "active", "effective_from": "2025-03-01"},
        {
            "change_kind": "stopped",
            "status": "stopped",
            "period": until_stop,
            "coverages": [example_coverage(period=january)],
            "effective_from": "2025-03-16",
        },
    ]
    versions = [first]
    for step in steps[:changes]:
        versions.append(_next(versions[-1], **step))
    return versions


def decision_topic(rng: random.Random) -> tuple[list[DecisionVersionPublished], list[str]]:
    """Every version of six decisions about three people (one of whom changes SSIN), in the
    order the registry published them; and the SSINs to ask about."""
    people = [random_ssin() for _ in range(3)]
    topic: list[DecisionVersionPublished] = []
    for index in range(6):
        first = example_decision_version_published(ssin=people[index % 3])
        topic += _life(first, changes=rng.randrange(5))
    renamed = example_decision_version_published(ssin=people[0])
    new_ssin = random_ssin()
    topic += [
        renamed,
        _next(renamed, change_kind="reactivated", ssin=new_ssin, replaced_ssins=[people[0]]),
    ]
    return topic, [*people, new_ssin]


def kafka_order(
    topic: list[DecisionVersionPublished], rng: random.Random
) -> list[DecisionVersionPublished]:
    """The topic as a consumer may see it: each decision's versions in order, decisions mixed."""
    queues: dict[str, list[DecisionVersionPublished]] = {}
    for event in topic:
        queues.setdefault(event.decision_number, []).append(event)
    mixed: list[DecisionVersionPublished] = []
    while queues:
        key = rng.choice(sorted(queues))
        mixed.append(queues[key].pop(0))
        if not queues[key]:
            del queues[key]
    return mixed
