"""Payment rules, pure (I-05): how long providers wait, and what a payment offsets.

Targets from the sources: the manual promises payment "binnen een termijn van 8 dagen na
invoering van de facturen in het systeem"; the 2025 circular says accepted invoices are paid
"binnen enkele dagen (gemiddeld minder dan vier dagen)".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

TARGET_AVERAGE_DAYS = 4
TARGET_MAX_DAYS = 8
SECONDS_PER_DAY = 86_400
P95 = Decimal("0.95")
_HUNDREDTH = Decimal("0.01")


def payment_delay_seconds_i05(*, submitted_at: datetime, paid_at: datetime) -> int:
    """I-05: whole seconds from the invoice's submission to the line's payment."""
    return int((paid_at - submitted_at).total_seconds())


def in_days(seconds: Decimal | int) -> Decimal:
    """Seconds as days with two decimals, half up: 1.5 days is `1.50`, 100 s is `0.00`."""
    return (Decimal(seconds) / SECONDS_PER_DAY).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def p95_rank(lines: int) -> int:
    """The nearest-rank 95th percentile's position (1-based) among `lines` sorted delays: the
    smallest delay within which at least 95 % of the lines were paid."""
    return max(1, math.ceil(P95 * lines))


def over_max_seconds() -> int:
    """A line waited too long when paid more than 8 whole days after submission."""
    return TARGET_MAX_DAYS * SECONDS_PER_DAY


@dataclass(frozen=True)
class DelayFigures:
    lines: int
    average_days: Decimal | None
    p95_days: Decimal | None
    average_within_target: bool | None
    lines_over_max: int


def delay_figures_i05(
    *, lines: int, total_seconds: int, p95_seconds: int | None, over_max: int
) -> DelayFigures:
    """I-05: a month's figures against the targets; none when nothing was paid."""
    if lines == 0:
        return DelayFigures(0, None, None, None, 0)
    average = Decimal(total_seconds) / lines
    return DelayFigures(
        lines=lines,
        average_days=in_days(average),
        p95_days=in_days(p95_seconds or 0),
        average_within_target=average < TARGET_AVERAGE_DAYS * SECONDS_PER_DAY,
        lines_over_max=over_max,
    )


@dataclass(frozen=True)
class Offset:
    credit_reference: str
    amount: Decimal


def offset_recoveries_i05(*, owed: Decimal, recoveries: list[tuple[str, Decimal]]) -> list[Offset]:
    """I-05: what a payment of `owed` for its lines takes back from the provider's outstanding
    `recoveries` (credit reference, outstanding), oldest first, never more than `owed`: the
    payment is never negative, and what it cannot take back stays owed for the next one."""
    offsets: list[Offset] = []
    room = owed
    for reference, outstanding in recoveries:
        if room <= 0:
            break
        taken = min(room, outstanding)
        if taken > 0:
            offsets.append(Offset(reference, taken))
            room -= taken
    return offsets
