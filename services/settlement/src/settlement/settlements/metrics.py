"""Settlement runs on /metrics: how long computing (or closing) a month took."""

import time

from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.aftercommit import when_committed

RUN_SECONDS = Histogram(
    "mediprima_settlement_run_duration_seconds",
    "Seconds a settlement run (`run`: compute or recompute a month; `close`: recompute, hash "
    "the files and freeze it) took until its commit; rolled-back runs are not counted.",
    ["step"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)


def time_until_committed(session: AsyncSession, step: str) -> None:
    """Observe, once the session commits, the time from now until then."""
    started = time.perf_counter()
    when_committed(
        session, lambda: RUN_SECONDS.labels(step=step).observe(time.perf_counter() - started)
    )
