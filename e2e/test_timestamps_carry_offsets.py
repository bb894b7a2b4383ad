"""api.md: timestamps are ISO 8601 with their offset, in every response and every event.

After the end-to-end walk (decision → consultation → pricing → invoice → payment → settlement),
every JSON answer of the five services and every event on the log is searched for timestamps;
each carries its offset, in the one form the platform writes: UTC as `Z`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.platform import running_platform
from e2e.walkthrough import Actors, walk_invoice_through
from mediprima_contracts.events.topics import ALL_TOPICS
from servicekit.bus.factory import build_bus
from servicekit.testing import TokenFactory, read_topic

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
IN_UTC_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def timestamps(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, text) in a JSON value that reads as a date and a time."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from timestamps(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from timestamps(item, f"{path}[{index}]")
    elif isinstance(value, str) and TIMESTAMP.match(value):
        yield path, value


@pytest.mark.e2e
async def test_every_timestamp_in_every_response_and_event_carries_its_utc_offset(
    tmp_path: Path,
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    actors = Actors.fresh(tokens.headers)
    answers: list[tuple[str, Any]] = []

    async def keep_json(response: httpx.Response) -> None:
        if "json" in response.headers.get("content-type", ""):
            await response.aread()
            answers.append(
                (f"{response.request.method} {response.request.url.path}", response.json())
            )

    async with running_platform("sql", tmp_path, tokens) as clients:
        for client in clients.values():
            client.event_hooks["response"].append(keep_json)
        walked = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())
        reads = {
            "decision-registry": [
                (f"/v1/decisions/{walked.decision_number}/versions", actors.ocmw),
            ],
            "consultation": [("/v1/consultations", actors.gp)],
            "invoicing": [
                (f"/v1/invoices/{walked.invoice_id}", actors.gp),
                ("/v1/invoices", actors.gp),
            ],
            "settlement": [
                (f"/v1/settlements/{walked.settlement['settlement_id']}", actors.operator)
            ],
        }
        for name, paths in reads.items():
            for path, headers in paths:
                assert (await clients[name].get(path, headers=headers)).status_code == 200

    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}")
    await bus.start()
    try:
        events = [
            (f"event on {topic}", json.loads(record.value))
            for topic in ALL_TOPICS
            for record in await read_topic(bus, topic, expected=0, patience=0.5)
        ]
    finally:
        await bus.close()

    found = [
        (where, path, text)
        for where, body in [*answers, *events]
        for path, text in timestamps(body)
    ]
    assert {where.split(" ")[0] for where, _, _ in found} >= {"GET", "POST", "event"}
    assert any("paid_at" in path for _, path, _ in found)
    assert any("submitted_at" in path for _, path, _ in found)
    assert any("computed_at" in path for _, path, _ in found)
    assert [item for item in found if not IN_UTC_WITH_OFFSET.match(item[2])] == []
