"""The metrics every service serves on `/metrics`, named once here (docs/operations.md lists them).

Counters and histograms are observed where things happen, in memory; the gauges that describe
the database (the outbox backlog, a service's own `ScrapeGauges` such as invoices by status) are
read when Prometheus scrapes, a few cheap indexed queries every scrape and none per request.
Every series carries the service's name, so one dashboard filters by it whatever the scrape
job is called (and the five services of one test process stay apart).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram
from prometheus_fastapi_instrumentator.metrics import Info
from sqlalchemy import func, select

from servicekit.db import Database
from servicekit.messaging.tables import outbox

ScrapeGauges = Callable[[Database], Awaitable[None]]
"""Sets a service's own gauges from its database when `/metrics` is read."""

HTTP_LATENCY = Histogram(
    "mediprima_http_request_duration_seconds",
    "Time from a request's arrival to its response, by route template and status.",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CONSUMER_HANDLING = Histogram(
    "mediprima_consumer_handling_seconds",
    "Time a consumer group's handler spent on one event, by group and topic.",
    ["service", "group", "topic"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
CONSUMER_LAG = Gauge(
    "mediprima_consumer_lag_events",
    "Events in a topic's partitions this consumer holds that its group has not read yet, as of "
    "its last fetch (both buses).",
    ["service", "group", "topic"],
)
DEAD_LETTERS = Counter(
    "mediprima_consumer_dead_letters",
    "Events a consumer group gave up on and sent to its dead-letter topic, by original topic.",
    ["service", "group", "topic"],
)
OUTBOX_BACKLOG = Gauge(
    "mediprima_outbox_backlog_events",
    "Outbox rows written but not yet published (parked rows not included), read at scrape.",
    ["service"],
)
OUTBOX_OLDEST_AGE = Gauge(
    "mediprima_outbox_oldest_unsent_age_seconds",
    "Age of the oldest outbox row not yet published (0 when none waits), read at scrape.",
    ["service"],
)
RATE_LIMIT_REFUSALS = Counter(
    "mediprima_rate_limit_refusals",
    "Requests answered 429 by the rate limits, by refusal code.",
    ["service", "code"],
)


def http_latency(service: str) -> Callable[[Info], None]:
    """An instrumentation for `prometheus_fastapi_instrumentator`: it resolves the route
    template (never the raw path, which may hold a person's number) and the status."""

    series: dict[tuple[str, str, str], Histogram] = {}

    def observe(info: Info) -> None:
        # `labels()` validates and locks on every call: look each series up once.
        key = (info.method, info.modified_handler, info.modified_status)
        found = series.get(key)
        if found is None:
            found = series[key] = HTTP_LATENCY.labels(service, *key)
        found.observe(info.modified_duration)

    return observe


async def read_outbox_gauges(service: str, database: Database) -> None:
    unsent = outbox.c.published_at.is_(None) & outbox.c.parked_at.is_(None)
    async with database.reading() as session:
        count, oldest = (
            await session.execute(select(func.count(), func.min(outbox.c.created_at)).where(unsent))
        ).one()
    OUTBOX_BACKLOG.labels(service=service).set(count)
    OUTBOX_OLDEST_AGE.labels(service=service).set(_age_seconds(oldest))


def _age_seconds(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - moment).total_seconds())
