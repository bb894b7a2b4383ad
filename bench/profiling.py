"""`--profile`: py-spy samples the services under load during a measurement and writes one flame
graph per service (bench/results/profiles/<run>/<measurement>-<service>.svg). Sampling takes
CPU from the two cores, so figures of a profiled run are not comparable with others: the run
says so in its results file."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from bench import py_spy
from bench.context import Run
from bench.stack.platform import Platform


@asynccontextmanager
async def profiled(
    run: Run, measurement: str, platform: Platform, services: Sequence[str]
) -> AsyncIterator[None]:
    if run.profiles is None:
        yield
        return
    async with profiled_pids(run, measurement, {name: platform.pid(name) for name in services}):
        yield


@asynccontextmanager
async def profiled_pids(run: Run, measurement: str, pids: dict[str, int]) -> AsyncIterator[None]:
    """Records every pid until the block ends."""
    assert run.profiles is not None
    run.profiles.mkdir(parents=True, exist_ok=True)
    recorders = []
    try:
        for name, pid in pids.items():
            with (run.logs / f"py-spy-{measurement}-{name}.log").open("wb") as log:
                output = run.profiles / f"{measurement}-{name}.svg"
                recorders.append(await py_spy.record(pid, output, log))
        yield
    finally:
        # py-spy writes its flame graph when interrupted
        for recorder in recorders:
            if recorder.returncode is None:
                recorder.send_signal(signal.SIGINT)
        await asyncio.gather(*(recorder.wait() for recorder in recorders))
