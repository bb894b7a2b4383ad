"""Invoices on /metrics: how many stand in each status, and how long a verdict took (I-03)."""

from datetime import UTC, datetime

from prometheus_client import Gauge, Histogram
from sqlalchemy import func, select

from invoicing.invoices.models import Invoice
from invoicing.invoices.statuses import InvoiceStatus
from servicekit.db import Database

INVOICES_BY_STATUS = Gauge(
    "mediprima_invoicing_invoices",
    "Invoices in each status, counted in the database when /metrics is scraped.",
    ["status"],
)
VERDICT_DELAY_SECONDS = Histogram(
    "mediprima_invoicing_verdict_delay_seconds",
    "Seconds from an invoice's submission to its verdict (received to accepted, partially "
    "accepted or rejected), observed when the verdict is committed.",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 86_400),
)


def seconds_between(earlier: datetime, later: datetime) -> float:
    """SQLite hands back naive UTC; PostgreSQL aware."""
    if earlier.tzinfo is None:
        earlier = earlier.replace(tzinfo=UTC)
    return max(0.0, (later - earlier).total_seconds())


async def read_invoice_gauges(database: Database) -> None:
    """One grouped count over the status index, once per scrape."""
    async with database.reading() as session:
        rows = await session.execute(select(Invoice.status, func.count()).group_by(Invoice.status))
        counts: dict[str, int] = {status: count for status, count in rows}
    for status in InvoiceStatus:
        INVOICES_BY_STATUS.labels(status=status.value).set(counts.get(status.value, 0))
