"""Writes the seeded decisions into each service's database, in bulk, before the services start.

Why not through the services: filing 100,000 decisions through the registry's API runs at its
B4 rate (about 130/s here today: 13 minutes), and having consultation, tariffing and settlement
apply 100,000 `DecisionVersionPublished` events through their consumers runs at their event rate
(a few hundred per second per consumer group today: 5 to 10 minutes per setup). Both would
blow the 15-minute budget of `make bench` and make the load time depend on the code being
optimised. So the rows each service's own code would have written are inserted set-wise into
the tables its models declare (the registry's decision, version and person tables; each read
model's two tables; settlement's OCMW directory), from snapshots the registry's own functions
built (`bench.seed.decisions`). `bench.seed.check` then asks each running service, through its
API, about a sample of them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import text

from bench.seed.bulk import Batch, insert_batches
from bench.seed.decisions import SeededDecision
from consultation.decisions.models import READ_MODEL as CONSULTATION_READ_MODEL
from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.decisions.rules import NumberStatus
from decision_registry.persons.models import PersonNumber, PersonRecord
from mediprima_contracts.components import ChangeKind
from mediprima_domain.readmodel import DecisionReadModel
from servicekit.db import Database
from settlement.directory.models import OcmwEntry
from tariffing.decisions.models import READ_MODEL as TARIFFING_READ_MODEL


async def load_in_child(urls: dict[str, str], decisions: Sequence[SeededDecision]) -> None:
    """`load_all` in a forked process: turning rows into SQLite's or COPY's values is Python
    work, so two setups loaded by two processes take half the time on two cores. Forked, the
    child reads the decisions where they are (no copy); it touches nothing the parent uses."""
    child = multiprocessing.get_context("fork").Process(
        target=_load_all_now, args=(urls, decisions), name="bench-load"
    )
    child.start()
    try:
        await asyncio.to_thread(child.join)
    except BaseException:
        child.terminate()
        raise
    if child.exitcode != 0:
        raise RuntimeError(f"loading the decisions failed (exit code {child.exitcode})")


def _load_all_now(urls: dict[str, str], decisions: Sequence[SeededDecision]) -> None:
    asyncio.run(load_all(urls, decisions))


async def load_all(urls: dict[str, str], decisions: Sequence[SeededDecision]) -> None:
    """`urls`: the database of each service, already migrated."""
    await asyncio.gather(
        insert_batches(urls["decision-registry"], _registry_rows(decisions)),
        insert_batches(urls["consultation"], _read_model_rows(CONSULTATION_READ_MODEL, decisions)),
        insert_batches(urls["tariffing"], _read_model_rows(TARIFFING_READ_MODEL, decisions)),
        insert_batches(urls["settlement"], _directory_rows(decisions)),
    )
    await _move_registry_sequence_past(urls["decision-registry"], len(decisions))


def _registry_rows(decisions: Sequence[SeededDecision]) -> list[Batch]:
    """What `create_decision` writes for a new person: the person, their number, the decision
    and its version 1 (its event was published long ago: nothing in the outbox)."""
    persons = [{"id": item.person_id, "created_at": item.filed_at} for item in decisions]
    numbers = [
        {
            "ssin": item.ssin,
            "person_id": item.person_id,
            "status": NumberStatus.CURRENT.value,
            "updated_at": item.filed_at,
        }
        for item in decisions
    ]
    rows = [
        {
            **item.columns,
            "id": item.row_id,
            "decision_number": item.decision_number,
            "person_id": item.person_id,
            "current_version": 1,
            "created_at": item.filed_at,
            "updated_at": item.filed_at,
        }
        for item in decisions
    ]
    versions = [
        {
            "decision_id": item.row_id,
            "version": 1,
            "change_kind": ChangeKind.CREATED.value,
            "snapshot": item.snapshot_json,
            "refund_policy_version": item.refund_policy_version,
            "created_at": item.filed_at,
        }
        for item in decisions
    ]
    return [
        Batch(PersonRecord.__table__, persons),  # type: ignore[arg-type]
        Batch(PersonNumber.__table__, numbers),  # type: ignore[arg-type]
        Batch(Decision.__table__, rows),  # type: ignore[arg-type]
        Batch(DecisionVersion.__table__, versions),  # type: ignore[arg-type]
    ]


def _read_model_rows(model: DecisionReadModel, decisions: Sequence[SeededDecision]) -> list[Batch]:
    """What `DecisionReadModel.keep` stores for a new version: the version and its number."""
    received_at = datetime.now(UTC)
    versions = [
        {
            "decision_number": item.decision_number,
            "version": 1,
            "ssin": item.ssin,
            "person_id": item.person_id,
            "status": item.status,
            "snapshot": item.snapshot_json,
            "received_at": received_at,
        }
        for item in decisions
    ]
    numbers = [{"ssin": item.ssin, "decision_number": item.decision_number} for item in decisions]
    return [Batch(model.versions.__table__, versions), Batch(model.numbers.__table__, numbers)]


def _directory_rows(decisions: Sequence[SeededDecision]) -> list[Batch]:
    """The newest decision of each OCMW names it, as settlement's directory keeps it."""
    newest: dict[str, SeededDecision] = {}
    for item in decisions:
        number = item.ocmw["enterprise_number"]
        if number not in newest or newest[number].filed_at < item.filed_at:
            newest[number] = item
    entries = [
        {
            "enterprise_number": number,
            "municipality_nis": item.ocmw["municipality_nis"],
            "name_nl": item.ocmw["name_nl"],
            "name_fr": item.ocmw["name_fr"],
            "language": item.ocmw["language"],
            "seen_at": item.filed_at,
        }
        for number, item in newest.items()
    ]
    return [Batch(OcmwEntry.__table__, entries)]  # type: ignore[arg-type]


async def _move_registry_sequence_past(url: str, last_id: int) -> None:
    """Rows inserted with their ids leave PostgreSQL's sequence at 1: the next filing would
    take id 1 again. SQLite takes max(id) + 1 by itself."""
    database = Database(url)
    try:
        if not database.is_sqlite:
            async with database.engine.begin() as connection:
                await connection.execute(
                    text("SELECT setval(pg_get_serial_sequence('decisions', 'id'), :last_id)"),
                    {"last_id": last_id},
                )
    finally:
        await database.dispose()
