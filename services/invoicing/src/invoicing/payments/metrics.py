"""I-05 on /metrics: how long after submission each line was paid."""

from collections.abc import Iterable

from prometheus_client import Histogram

from invoicing.payments.rules import SECONDS_PER_DAY

PAYMENT_DELAY_DAYS = Histogram(
    "mediprima_invoicing_payment_delay_days",
    "Days from an invoice's submission to the payment of each of its lines (I-05: under 4 on "
    "average, at most 8).",
    buckets=(0.5, 1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 21, 30, 60),
)


def observe_payment_delays(seconds: Iterable[int]) -> None:
    """Called once the payment is committed, so a rolled-back payment is never counted."""
    for delay in seconds:
        PAYMENT_DELAY_DAYS.observe(delay / SECONDS_PER_DAY)
