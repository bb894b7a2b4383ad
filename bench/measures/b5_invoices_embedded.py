"""B5: invoices on SQLite + the SQL event log until all adjudicated, against SQLite's
single-row commits measured in the same run."""

from __future__ import annotations

from bench.baselines import measured
from bench.context import Running
from bench.measures import adjudication
from bench.reporting.figures import Baseline, Target


async def measure(running: Running) -> None:
    run = running.run
    commits = await measured.sqlite_single_row_commits(run)
    await adjudication.measure(
        running,
        adjudication.Plan(
            benchmark="B5",
            invoices=run.sizes.b5_invoices,
            rate=run.sizes.b5_rate,
            open_seconds=run.sizes.b5_open_seconds,
            throughput_baseline=Baseline(
                "SQLite single-row commits", commits.per_second, "commits/s"
            ),
            also=[],
            latency_baseline=Baseline("SQLite single-row commit p95", commits.p95_ms, "ms"),
            throughput_target=Target("≥ 300 lines/s", "at_least", 300.0),
            latency_target=Target("p95 ≤ 2 s", "at_most", 2_000.0),
        ),
    )
