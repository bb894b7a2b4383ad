"""`mediprima status` and `mediprima dead-letters` on settlement's own database and the SQL log:
the JSON a script reads, and a dead letter replayed from the shell exactly once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from mediprima_contracts.events.topics import DECISIONS, INVOICES
from mediprima_contracts.registry import serialize_envelope
from mediprima_contracts.testing.events import example_invoice_paid
from servicekit.bus.api import OutgoingRecord, Record
from servicekit.bus.factory import build_bus
from servicekit.cli import app
from servicekit.db import Database
from servicekit.deadletters import store
from servicekit.messaging.tables import outbox
from servicekit.testing import migrate
from settlement.main import service

from .feeding import envelope

runner = CliRunner()


async def mediprima(*args: str) -> tuple[int, Any]:
    """Exit code and the JSON document the command printed.

    In its own process a command logs to standard error only; here, in the test's process, a
    logger another test already used may still write a line to standard output before it.
    """
    result = await asyncio.to_thread(runner.invoke, app, [*args, "--json"])
    assert "{\n" in result.stdout, (result.output, result.exception)
    return result.exit_code, json.loads(result.stdout[result.stdout.index("{\n") :])


async def test_status_and_dead_letters_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'settlement.db'}"
    monkeypatch.setenv("MEDIPRIMA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDIPRIMA_DATABASE_URL", url)
    await migrate(service, url)
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}")
    await bus.start()
    await bus.create_topics(service.topics())
    # Three invoices on the log that settlement's group has not read yet: its lag.
    await bus.publish([OutgoingRecord(INVOICES, f"k{n}", b"{}") for n in range(3)])
    await bus.close()
    database = Database(url)
    paid = envelope(example_invoice_paid())
    async with database.transaction() as session:
        await session.execute(
            outbox.insert(),
            {
                "event_id": "e-unsent",
                "topic": "mediprima.settlements",
                "key": "k",
                "payload": "{}",
                "headers": {},
                "created_at": datetime.now(UTC) - timedelta(minutes=5),
            },
        )
        # As the consumer keeps them: a paid invoice it gave up on (the database was away too
        # long) and a record that is no event at all.
        for offset, value, event_id in (
            (7, serialize_envelope(paid), str(paid.id)),
            (8, b"not an event", None),
        ):
            await store.keep(
                session,
                group="settlement.invoices",
                record=Record(INVOICES, 0, offset, "k", value, {"event_id": event_id or "?"}),
                error="OperationalError: database is locked" if event_id else "unreadable event",
                event_id=event_id,
                event_type=paid.type if event_id else None,
            )

    code, status = await mediprima("status", "settlement")
    assert code == 0
    [report] = status["services"]
    assert report["outbox"]["unsent"] == 1
    assert report["outbox"]["parked"] == 0
    assert report["outbox"]["oldest_unsent_age_seconds"] >= 300
    assert report["dead_letters_waiting"] == {"settlement.invoices": 2, "settlement.decisions": 0}
    assert {(lag["group"], lag["topic"]): lag["lag"] for lag in report["consumer_lag"]} == {
        ("settlement.invoices", INVOICES): 3,
        ("settlement.decisions", DECISIONS): 0,
    }

    code, listed = await mediprima("dead-letters", "list", "settlement")
    assert code == 0
    letters = listed["items"]
    assert [(item["offset"], item["status"], item["event_type"]) for item in letters] == [
        (7, "waiting", "mediprima.invoice.paid"),
        (8, "waiting", None),
    ]
    paid_id, garbage_id = letters[0]["id"], letters[1]["id"]

    code, shown = await mediprima("dead-letters", "show", "settlement", str(paid_id))
    assert (code, shown["event_id"], shown["payload"]["id"]) == (0, str(paid.id), str(paid.id))

    assert await mediprima("dead-letters", "replay", "settlement", str(paid_id)) == (
        0,
        {"id": paid_id, "outcome": "replayed"},
    )
    assert await mediprima("dead-letters", "replay", "settlement", str(paid_id)) == (
        0,
        {"id": paid_id, "outcome": "already_replayed"},
    )
    code, everything = await mediprima("dead-letters", "replay", "settlement", "--all")
    assert code == 1
    assert everything["replayed"] == 0
    assert [failure["id"] for failure in everything["failed"]] == [garbage_id]
    assert "json_invalid" in everything["failed"][0]["error"]

    async with database.reading() as session:
        booked = await session.scalar(
            select(func.count())
            .select_from(text("ledger_lines"))
            .where(text("invoice_id = :invoice").bindparams(invoice=paid.data.invoice_id))
        )
    await database.dispose()
    assert booked == len(paid.data.lines)
    code, waiting = await mediprima("dead-letters", "list", "settlement")
    assert [item["id"] for item in waiting["items"]] == [garbage_id]
    assert waiting["items"][0]["replay_attempts"] == 1


async def test_prune_from_the_shell_reports_what_it_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'settlement.db'}"
    monkeypatch.setenv("MEDIPRIMA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDIPRIMA_DATABASE_URL", url)
    monkeypatch.setenv("MEDIPRIMA_INBOX_RETENTION", "P1D")
    await migrate(service, url)
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}")
    await bus.start()  # creates the event log's tables
    await bus.close()
    database = Database(url)
    async with database.transaction() as session:
        await session.execute(
            text("INSERT INTO inbox (consumer, event_id, processed_at) VALUES (:c, :e, :at)"),
            [
                {
                    "c": "settlement.invoices",
                    "e": "old",
                    "at": datetime.now(UTC) - timedelta(days=2),
                },
                {"c": "settlement.invoices", "e": "new", "at": datetime.now(UTC)},
            ],
        )
    await database.dispose()

    code, pruned = await mediprima("prune", "settlement")

    assert code == 0
    assert pruned == {
        "services": [
            {
                "service": "settlement",
                "deleted": {"outbox": 0, "inbox": 1, "dead_letters": 0, "event_log": 0},
            }
        ]
    }
