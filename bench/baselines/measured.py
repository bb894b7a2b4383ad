"""Each baseline measured once per run, when a part first needs it, under the same load as the
figures it is compared with."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from bench.baselines.commits import Commits, postgres_commits, sqlite_commits
from bench.baselines.kafka_round_trip import RoundTrip, kafka_round_trip
from bench.baselines.lean_floor_db import prepare
from bench.baselines.servers import BaselineServer, hello_server, lean_floor_server
from bench.context import Run
from bench.load.rate import OpenLoopResult, open_loop
from bench.load.wrk import ClosedLoopResult, closed_loop
from bench.measures.requests import consultation_requests
from servicekit.testing import postgres_database

T = TypeVar("T")


@dataclass(frozen=True)
class HttpBaseline:
    closed: ClosedLoopResult
    open: OpenLoopResult


async def _once(run: Run, key: str, measure: Callable[[], Awaitable[T]]) -> T:
    if key not in run.baselines:
        started = time.perf_counter()
        run.baselines[key] = await measure()
        print(f"   baseline {key}: {time.perf_counter() - started:.1f} s", flush=True)
    return cast(T, run.baselines[key])


async def hello(run: Run) -> HttpBaseline:
    async def measure() -> HttpBaseline:
        async with hello_server(run.logs) as server:
            return await _drive(run, server, "hello")

    return await _once(run, "hello", measure)


async def lean_floor(run: Run) -> HttpBaseline:
    async def measure() -> HttpBaseline:
        async with postgres_database("bench_lean_floor") as url:
            await prepare(_dsn(url), run.decisions)
            async with lean_floor_server(run.logs, database_url=url, tokens=run.tokens) as server:
                return await _drive(run, server, "lean-floor")

    return await _once(run, "lean floor", measure)


async def _drive(run: Run, server: BaselineServer, name: str) -> HttpBaseline:
    """The B1 load: wrk's closed loop, then the open loop at B1's rate."""
    sizes = run.sizes
    requests = consultation_requests(run.decisions, run.tokens, today=run.today, seed=1)
    closed = await closed_loop(
        run.wrk, server.url, requests, seconds=sizes.wrk_seconds, workdir=run.logs, name=name
    )
    closed.check(200, 201, repeats_allowed=True)
    paced = await open_loop(
        server.url,
        requests,
        rate=sizes.b1_rate,
        seconds=sizes.open_loop_seconds,
        warmup=sizes.warmup_seconds,
        workdir=run.logs,
        name=name,
    )
    paced.check(200, 201)
    return HttpBaseline(closed, paced)


async def postgres_single_row_commits(run: Run) -> Commits:
    async def measure() -> Commits:
        async with postgres_database("bench_commits") as url:
            return await postgres_commits(_dsn(url), run.sizes.commits)

    return await _once(run, "PostgreSQL commits", measure)


async def sqlite_single_row_commits(run: Run) -> Commits:
    async def measure() -> Commits:
        path = run.workdir / "baseline-commits.db"
        try:
            return await sqlite_commits(path, run.sizes.commits)
        finally:
            for leftover in run.workdir.glob("baseline-commits.db*"):
                leftover.unlink()

    return await _once(run, "SQLite commits", measure)


async def kafka(run: Run, *, paced_rate: float) -> RoundTrip:
    async def measure() -> RoundTrip:
        return await kafka_round_trip(
            run.kafka_bootstrap_servers, count=run.sizes.kafka_messages, paced_rate=paced_rate
        )

    return await _once(run, "aiokafka round trip", measure)


def _dsn(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(False)
