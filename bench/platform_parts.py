"""Issue 12's figures (B1 to B5, idle): the decisions built, the baselines measured on a quiet
machine, both setups prepared (their loads overlap: SQLite's in this process, PostgreSQL's
COPY mostly in the server), then each setup started, checked and measured in turn, then B3.
Every process started here is stopped here, and every database made here dropped."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from bench.baselines import measured
from bench.context import Run, Running
from bench.measures import (
    b1_consultations,
    b2_invoices_scaled_out,
    b3_settlement,
    b4_decisions,
    b5_invoices_embedded,
    idle,
)
from bench.measures.b2_invoices_scaled_out import KAFKA_PACED_RATE
from bench.seed.check import check_seeded
from bench.seed.decisions import seeded_decisions
from bench.seed.load import load_in_child
from bench.stack import setups
from bench.stack.platform import running_platform
from bench.stack.quiet import backlog_of

PARTS = ("idle", "b1", "b2", "b3", "b4", "b5")
Measure = Callable[[Running], Awaitable[None]]
# In this order: the quiet platform first; invoices last, since a platform too slow to
# adjudicate them within the bench's patience leaves a backlog only stopping it clears.
MEASURES: dict[setups.SetupName, dict[str, Measure]] = {
    "embedded": {
        "idle": idle.measure,
        "b1": b1_consultations.measure,
        "b4": b4_decisions.measure,
        "b5": b5_invoices_embedded.measure,
    },
    "postgres+kafka": {
        "b1": b1_consultations.measure,
        "b4": b4_decisions.measure,
        "b2": b2_invoices_scaled_out.measure,
    },
}


async def measure(run: Run, parts: set[str]) -> None:
    chosen = {
        name: [measure for part, measure in measures.items() if part in parts]
        for name, measures in MEASURES.items()
    }
    chosen = {name: measures for name, measures in chosen.items() if measures}
    if chosen:
        await _step(f"building {run.sizes.decisions:,} decisions", _seed(run))
    await _baselines(run, parts)
    async with AsyncExitStack() as stack:
        prepared = [await stack.enter_async_context(_setup(run, name)) for name in chosen]
        for setup in prepared:
            await _step(f"{setup.name}: migrating", setups.migrate_all(setup))
        await _step(
            "loading the decisions into " + " and ".join(setup.name for setup in prepared),
            _gather(*(load_in_child(setup.database_urls, run.decisions) for setup in prepared)),
        )
        for setup in prepared:
            async with _running(run, setup) as running:
                for measure_part in chosen[setup.name]:
                    await measure_part(running)
    if "b3" in parts:
        await _step("B3 settlement", b3_settlement.measure(run))


async def _seed(run: Run) -> None:
    loop = asyncio.get_running_loop()
    sizes = run.sizes
    run.decisions = await loop.run_in_executor(
        None,
        lambda: seeded_decisions(count=sizes.decisions, ocmws=sizes.ocmws, today=run.today),
    )


async def _baselines(run: Run, parts: set[str]) -> None:
    """Before any platform runs: a baseline shares the machine with nothing of ours."""
    if parts & {"b1", "b4"}:
        await measured.hello(run)
        await measured.lean_floor(run)
    if "b5" in parts:
        await measured.sqlite_single_row_commits(run)
    if "b2" in parts:
        await measured.postgres_single_row_commits(run)
        await measured.kafka(run, paced_rate=KAFKA_PACED_RATE)


@asynccontextmanager
async def _setup(run: Run, name: setups.SetupName) -> AsyncIterator[setups.Setup]:
    workdir = run.workdir / name.replace("+", "-")
    try:
        if name == "embedded":
            yield setups.embedded(workdir)
        else:
            async with setups.postgres_kafka(
                workdir, kafka_bootstrap_servers=run.kafka_bootstrap_servers
            ) as setup:
                yield setup
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@asynccontextmanager
async def _running(run: Run, setup: setups.Setup) -> AsyncIterator[Running]:
    started = time.perf_counter()
    async with (
        running_platform(setup, run.tokens, run.logs) as platform,
        backlog_of(setup) as backlog,
    ):
        print(f"   {setup.name}: five services ready in {time.perf_counter() - started:.1f} s")
        await _step(
            f"{setup.name}: asking the services about a sample of the decisions",
            check_seeded(platform, run.tokens, run.decisions, today=run.today),
        )
        yield Running(run, platform, backlog)
    print(f"   {setup.name}: five services stopped", flush=True)


async def _gather(*work: Awaitable[None]) -> None:
    await asyncio.gather(*work)


async def _step(what: str, work: Awaitable[None]) -> None:
    started = time.perf_counter()
    await work
    print(f"   {what}: {time.perf_counter() - started:.1f} s", flush=True)
