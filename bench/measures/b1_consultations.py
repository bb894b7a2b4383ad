"""B1: `POST /v1/consultations` as GP software calls it, closed loop (wrk) and open loop at a
fixed rate; against FastAPI hello and the lean floor, measured in the same run."""

from __future__ import annotations

from bench.baselines import measured
from bench.context import Running
from bench.load.rate import open_loop
from bench.load.wrk import closed_loop
from bench.measures.requests import consultation_requests
from bench.profiling import profiled
from bench.reporting.figures import Baseline, Figure, Target, saturated

CLOSED_TARGET = Target("≥ 0.2 x hello", "at_least", 0.2, of_baseline=True)
OPEN_TARGET = Target("p99 ≤ 20 ms", "at_most", 20.0)


async def measure(running: Running) -> None:
    run, setup = running.run, running.setup_name
    hello = await measured.hello(run)
    lean = await measured.lean_floor(run)
    url = running.platform.urls["consultation"]
    requests = consultation_requests(run.decisions, run.tokens, today=run.today, seed=2)
    await running.settle()
    async with profiled(run, f"b1-{setup}", running.platform, ["consultation"]):
        closed = await closed_loop(
            run.wrk,
            url,
            requests,
            seconds=run.sizes.wrk_seconds,
            workdir=run.logs,
            name=f"b1-{setup}-closed",
        )
    closed.check(201, repeats_allowed=True)
    rate = run.sizes.b1_rate
    paced = None
    if closed.per_second >= rate:
        await running.settle()
        paced = await open_loop(
            url,
            requests,
            rate=rate,
            seconds=run.sizes.open_loop_seconds,
            warmup=run.sizes.warmup_seconds,
            workdir=run.logs,
            name=f"b1-{setup}-open",
        )
        paced.check(201)
    run.record(
        Figure(
            key=f"B1.{setup}.closed",
            benchmark="B1",
            setup=setup,
            what="POST /v1/consultations, wrk 1 thread 32 connections",
            value=closed.per_second,
            unit="req/s",
            baseline=Baseline("FastAPI hello", hello.closed.per_second, "req/s"),
            also=[Baseline("lean floor", lean.closed.per_second, "req/s")],
            target=CLOSED_TARGET,
            details={
                "measured": closed.summary(),
                "hello": hello.closed.summary(),
                "lean_floor": lean.closed.summary(),
            },
        ),
        Figure(
            key=f"B1.{setup}.open",
            benchmark="B1",
            setup=setup,
            what=f"POST /v1/consultations, open loop {rate:.0f} req/s: p99",
            value=paced.p99_ms if paced else None,
            unit="ms",
            baseline=Baseline("lean floor p99", lean.open.p99_ms, "ms"),
            also=[Baseline("FastAPI hello p99", hello.open.p99_ms, "ms")],
            target=OPEN_TARGET,
            details={
                "measured": paced.summary() if paced else {},
                "hello": hello.open.summary(),
                "lean_floor": lean.open.summary(),
            },
            note="" if paced else saturated(closed.per_second, rate, "req/s"),
        ),
    )
