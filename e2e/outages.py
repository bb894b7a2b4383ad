"""Helpers of the outage tests: a lock held on an SQLite file, the consultation service's
questions and what its consumers dead-lettered."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from servicekit.bus.api import EventBus, Record
from servicekit.bus.factory import dead_letter_topic
from servicekit.testing import read_topic

CARE_DAY = "2025-02-14"  # inside the period of example_decision_version_published
CONSUMER_GROUPS = ("consultation.decisions", "consultation.payments")


@asynccontextmanager
async def write_lock(database_file: Path) -> AsyncIterator[None]:
    """Another process's long write transaction on the file (a backup, a stuck job): readers go
    on (WAL), every writer waits for it. Taken on a helper thread: waiting for it on the event
    loop would stop an in-process service from finishing the write it is in."""
    connection = sqlite3.connect(
        database_file, isolation_level=None, timeout=30, check_same_thread=False
    )
    try:
        await asyncio.to_thread(connection.execute, "BEGIN IMMEDIATE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


async def consult(client: httpx.AsyncClient, headers: dict[str, str], ssin: str) -> httpx.Response:
    return await client.post(
        "/v1/consultations", json={"ssin": ssin, "date": CARE_DAY}, headers=headers
    )


async def dead_letters(bus: EventBus) -> list[Record]:
    records: list[Record] = []
    for group in CONSUMER_GROUPS:
        records += await read_topic(bus, dead_letter_topic(group), expected=0, patience=1.0)
    return records
