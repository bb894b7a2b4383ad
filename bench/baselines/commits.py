"""What one durable write costs the database and the services' driver, without the ORM:
single-row commits, one after the other (asyncpg; aiosqlite with the services' pragmas)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
import asyncpg

from bench.stats import percentile


@dataclass(frozen=True)
class Commits:
    per_second: float
    p50_ms: float
    p95_ms: float


def _commits(latencies: list[float], seconds: float) -> Commits:
    return Commits(
        per_second=len(latencies) / seconds,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
    )


async def postgres_commits(dsn: str, count: int) -> Commits:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "CREATE TABLE bench_commits (id bigserial PRIMARY KEY, at timestamptz, note text)"
        )
        latencies = []
        started = time.perf_counter()
        for index in range(count):
            began = time.perf_counter()
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO bench_commits (at, note) VALUES (now(), $1)", f"row {index}"
                )
            latencies.append((time.perf_counter() - began) * 1000)
        return _commits(latencies, time.perf_counter() - started)
    finally:
        await connection.close()


async def sqlite_commits(path: Path, count: int) -> Commits:
    """Through aiosqlite, the services' driver, with servicekit.db's pragmas and its
    `BEGIN IMMEDIATE`: each statement goes through aiosqlite's helper thread, as theirs do."""
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute(
            "CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, at TEXT, note TEXT)"
        )
        latencies = []
        started = time.perf_counter()
        for index in range(count):
            began = time.perf_counter()
            await connection.execute("BEGIN IMMEDIATE")
            await connection.execute(
                "INSERT INTO bench_commits (at, note) VALUES (datetime('now'), ?)",
                (f"row {index}",),
            )
            await connection.execute("COMMIT")
            latencies.append((time.perf_counter() - began) * 1000)
        return _commits(latencies, time.perf_counter() - started)
