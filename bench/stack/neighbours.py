"""How busy the rest of the machine was during a measurement: CPU used by processes that are
not this run's (another user's tests on the same two cores skew every figure). This run's
processes are the ones whose command line names this checkout (the bench, the services, the
Kafka and PostgreSQL that with-infra.sh started here) and all their descendants (wrk, the
generator, PostgreSQL's backends)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

import psutil

from bench.paths import ROOT

SAMPLE_SECONDS = 1.0


@dataclass
class Window:
    """CPU of other processes over a measurement, in % of one core."""

    percent: float = 0.0


class Neighbours:
    def __init__(self) -> None:
        self._seen: dict[int, float] = {}  # pid → CPU seconds at the last sample
        self.cpu_seconds = 0.0  # used by other processes since the first sample

    def sample(self) -> None:
        processes = list(psutil.process_iter(["ppid", "cmdline", "cpu_times"]))
        ours = _ours(processes)
        current = {}
        for process in processes:
            times = process.info["cpu_times"]
            if process.pid in ours or times is None:
                continue
            used = times.user + times.system
            current[process.pid] = used
            # a process first seen now is counted from now on: it may be older than the window
            self.cpu_seconds += max(0.0, used - self._seen.get(process.pid, used))
        self._seen = current


def _ours(processes: list[psutil.Process]) -> set[int]:
    marker = f"{ROOT}/"
    children: dict[int, list[int]] = {}
    for process in processes:
        children.setdefault(process.info["ppid"], []).append(process.pid)
    pending = [
        process.pid
        for process in processes
        if any(marker in part for part in process.info["cmdline"] or ())
    ]
    ours: set[int] = set()
    while pending:
        pid = pending.pop()
        if pid not in ours:
            ours.add(pid)
            pending.extend(children.get(pid, ()))
    return ours


@asynccontextmanager
async def watched() -> AsyncIterator[Window]:
    """Samples every second while the block runs; the window's figure is set at its end."""
    neighbours, window = Neighbours(), Window()
    stop = asyncio.Event()

    async def sampling() -> None:
        while not stop.is_set():
            await asyncio.to_thread(neighbours.sample)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_SECONDS)

    started = time.perf_counter()
    task = asyncio.create_task(sampling())
    try:
        yield window
    finally:
        stop.set()
        await task
        await asyncio.to_thread(neighbours.sample)
        elapsed = time.perf_counter() - started
        window.percent = round(neighbours.cpu_seconds / elapsed * 100, 1) if elapsed else 0.0
