"""B2: invoices on PostgreSQL + Kafka until all adjudicated, against the database's single-row
commits and the broker's produce → consume, measured in the same run."""

from __future__ import annotations

from bench.baselines import measured
from bench.context import Running
from bench.measures import adjudication
from bench.reporting.figures import Baseline, Target

# the open loop's event traffic: an invoice, its pricing and its verdict
KAFKA_PACED_RATE = 150.0


async def measure(running: Running) -> None:
    run = running.run
    commits = await measured.postgres_single_row_commits(run)
    kafka = await measured.kafka(run, paced_rate=KAFKA_PACED_RATE)
    await adjudication.measure(
        running,
        adjudication.Plan(
            benchmark="B2",
            invoices=run.sizes.b2_invoices,
            rate=run.sizes.b2_rate,
            open_seconds=run.sizes.b2_open_seconds,
            throughput_baseline=Baseline(
                "PostgreSQL single-row commits", commits.per_second, "commits/s"
            ),
            also=[Baseline("aiokafka produce+consume", kafka.per_second, "msg/s")],
            latency_baseline=Baseline(
                f"aiokafka produce → consume p95 at {kafka.paced_rate:.0f} msg/s",
                kafka.p95_ms,
                "ms",
            ),
            throughput_target=Target("≥ 1,000 lines/s", "at_least", 1_000.0),
            latency_target=Target("p95 ≤ 1 s", "at_most", 1_000.0),
        ),
    )
