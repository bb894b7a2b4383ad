"""Idle: the five embedded services with nothing to do, and a FastAPI hello app beside them
over the same seconds; CPU time each used, as % of one core (from /proc, through psutil)."""

from __future__ import annotations

import asyncio
import os

import psutil

from bench.baselines.servers import hello_server
from bench.context import Running
from bench.reporting.figures import Baseline, Figure, Target
from bench.stack.neighbours import watched

TARGET = Target("< 2 % of one core", "at_most", 2.0)


def _cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def _one_tick(seconds: float) -> float:
    return 100 / os.sysconf("SC_CLK_TCK") / seconds


async def measure(running: Running) -> None:
    run = running.run
    seconds = run.sizes.idle_seconds
    async with hello_server(run.logs) as hello:
        await running.settle()
        pids = {name: server.pid for name, server in running.platform.servers.items()}
        before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
        hello_before = _cpu_seconds(hello.process.pid)
        async with watched() as others:
            await asyncio.sleep(seconds)  # the measurement itself: time passing, nothing to do
        per_service = {
            name: (_cpu_seconds(pid) - before[name]) / seconds * 100 for name, pid in pids.items()
        }
        hello_percent = (_cpu_seconds(hello.process.pid) - hello_before) / seconds * 100
    running.platform.check_alive()
    run.record(
        Figure(
            key=f"idle.{running.setup_name}",
            benchmark="idle",
            setup=running.setup_name,
            what=f"five services doing nothing for {seconds:.0f} s: CPU, all together",
            value=sum(per_service.values()),
            unit="% of a core",
            # /proc counts CPU in clock ticks: a hello that used none is shown as one tick
            baseline=Baseline(
                "FastAPI hello, idle", max(hello_percent, _one_tick(seconds)), "% of a core"
            ),
            target=TARGET,
            details={
                "per_service_percent": {
                    name: round(value, 2) for name, value in per_service.items()
                },
                "hello_percent": round(hello_percent, 3),
                "other_processes_cpu_percent": others.percent,
            },
        )
    )
