"""B4: OCMW software filing new decisions, `POST /v1/decisions` with wrk at 32 connections;
every body is a different new person, and every answer must be 201."""

from __future__ import annotations

from bench.baselines import measured
from bench.context import Running
from bench.load.wrk import closed_loop
from bench.measures.requests import decision_requests
from bench.profiling import profiled
from bench.reporting.figures import Baseline, Figure, Target

TARGET = Target("≥ 500 decisions/s", "at_least", 500.0)


async def measure(running: Running) -> None:
    run, setup = running.run, running.setup_name
    hello = await measured.hello(run)
    requests = decision_requests(
        run.tokens,
        today=run.today,
        count=run.sizes.b4_bodies,
        ocmws=run.sizes.ocmws,
        first_person=run.sizes.decisions,
    )
    await running.settle()
    async with profiled(run, f"b4-{setup}", running.platform, ["decision-registry"]):
        closed = await closed_loop(
            run.wrk,
            running.platform.urls["decision-registry"],
            requests,
            seconds=run.sizes.wrk_seconds,
            workdir=run.logs,
            name=f"b4-{setup}",
        )
    closed.check(201)
    run.record(
        Figure(
            key=f"B4.{setup}",
            benchmark="B4",
            setup=setup,
            what="POST /v1/decisions, wrk 1 thread 32 connections",
            value=closed.per_second,
            unit="decisions/s",
            baseline=Baseline("FastAPI hello", hello.closed.per_second, "req/s"),
            target=TARGET if setup == "postgres+kafka" else None,
            details={"measured": closed.summary(), "hello": hello.closed.summary()},
        )
    )
