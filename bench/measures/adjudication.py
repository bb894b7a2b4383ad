"""B2 (PostgreSQL + Kafka) and B5 (embedded): invoices of 3 lines until every one is
adjudicated: intake (invoicing), pricing (tariffing), verdict (invoicing), over the bus.

Closed: practices upload their day in batches at the same time; lines/s from the first
`received` to the last verdict (each invoice's status history). The bench waits at most
`CLOSED_PATIENCE_SECONDS`; a platform slower than that is measured on the invoices adjudicated
by then. Open: one invoice at a time at a fixed rate; received → verdict p95 of the invoices
sent after the warm-up. It runs only when the closed run showed the platform keeps up with that
rate: otherwise its backlog, and every wait, grows for as long as the load lasts.

Both run last in their setup: a capped closed run leaves a backlog only stopping the services
clears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from bench.context import Running
from bench.load.rate import OpenLoopResult, open_loop
from bench.measures import invoices
from bench.profiling import profiled
from bench.reporting.figures import Baseline, Figure, Target, saturated
from bench.stack.neighbours import watched
from servicekit.auth import Role

PROFILED = ["invoicing", "tariffing"]
CLOSED_PATIENCE_SECONDS = 45.0
OPEN_PATIENCE_SECONDS = 120.0


@dataclass(frozen=True)
class Plan:
    benchmark: str
    invoices: int
    rate: float
    open_seconds: float
    throughput_baseline: Baseline
    latency_baseline: Baseline
    throughput_target: Target
    latency_target: Target
    also: list[Baseline]


async def measure(running: Running, plan: Plan) -> None:
    run, setup = running.run, running.setup_name
    sizes = run.sizes
    warm_up = round(plan.rate * sizes.warmup_seconds)
    paced_count = warm_up + round(plan.rate * plan.open_seconds)
    people = invoices.people(run.decisions, start=0, count=plan.invoices + paced_count)
    operator = run.tokens.headers(Role.OPERATOR, "bench-operator")
    url = running.platform.urls["invoicing"]
    async with httpx.AsyncClient(base_url=url, timeout=120.0) as client:
        await running.settle()
        since = datetime.now(UTC)
        async with (
            watched() as others,
            profiled(run, f"{plan.benchmark.lower()}-{setup}", running.platform, PROFILED),
        ):
            await invoices.upload_batches(
                client,
                run.tokens,
                people[: plan.invoices],
                today=run.today,
                lines=sizes.lines_per_invoice,
                per_batch=sizes.invoices_per_batch,
                first_gp=2_000,
            )
            await invoices.wait_until_adjudicated(
                client, operator, since=since, patience=CLOSED_PATIENCE_SECONDS
            )
        closed = await invoices.adjudication(client, operator, since=since)
        offered = plan.rate * sizes.lines_per_invoice
        keeps_up = not closed.waiting and closed.lines_per_second >= offered
        paced: OpenLoopResult | None = None
        if keeps_up:
            await running.settle()
            since = datetime.now(UTC)
            paced = await open_loop(
                url,
                invoices.single_invoice_requests(
                    run.tokens,
                    people[plan.invoices :],
                    today=run.today,
                    lines=sizes.lines_per_invoice,
                ),
                rate=plan.rate,
                seconds=plan.open_seconds,
                warmup=sizes.warmup_seconds,
                workdir=run.logs,
                name=f"{plan.benchmark.lower()}-{setup}-open",
                keep_bodies=True,
            )
            paced.check(202)
            await invoices.wait_until_adjudicated(
                client, operator, since=since, patience=OPEN_PATIENCE_SECONDS
            )
            counted = {body["invoice_id"] for body in paced.bodies[warm_up:]}
            open_adjudication = await invoices.adjudication(
                client, operator, since=since, only=counted
            )
    capped = (
        f"stopped waiting after {CLOSED_PATIENCE_SECONDS:.0f} s with {closed.waiting:,} invoices "
        "still waiting: the rate and latencies are those of the invoices adjudicated by then"
        if closed.waiting
        else ""
    )
    run.record(
        Figure(
            key=f"{plan.benchmark}.{setup}.closed",
            benchmark=plan.benchmark,
            setup=setup,
            what=(
                f"{plan.invoices:,} invoices x {sizes.lines_per_invoice} lines uploaded in "
                f"batches of {sizes.invoices_per_batch}, until all adjudicated"
            ),
            value=closed.lines_per_second,
            unit="lines/s",
            baseline=plan.throughput_baseline,
            also=plan.also,
            target=plan.throughput_target,
            details={
                "measured": closed.summary() | {"other_processes_cpu_percent": others.percent}
            },
            note=capped,
        ),
        Figure(
            key=f"{plan.benchmark}.{setup}.open",
            benchmark=plan.benchmark,
            setup=setup,
            what=f"one invoice at a time, open loop {plan.rate:.0f} invoices/s: received to "
            "verdict p95",
            value=open_adjudication.p95_ms if paced else None,
            unit="ms",
            baseline=plan.latency_baseline,
            target=plan.latency_target,
            details=(
                {"measured": open_adjudication.summary(), "intake": paced.summary()}
                if paced
                else {}
            ),
            note="" if paced else saturated(closed.lines_per_second, offered, "lines/s"),
        ),
    )
