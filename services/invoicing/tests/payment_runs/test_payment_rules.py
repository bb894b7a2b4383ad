"""I-05 payment rules, pure: offsets of recoveries and the delay figures."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from invoicing.payments.rules import (
    Offset,
    delay_figures_i05,
    in_days,
    offset_recoveries_i05,
    p95_rank,
    payment_delay_seconds_i05,
)


def test_i05_recoveries_are_offset_oldest_first_never_beyond_what_is_owed() -> None:
    owed_back = [("CR-1", Decimal("30.00")), ("CR-2", Decimal("50.00")), ("CR-3", Decimal("5.00"))]

    assert offset_recoveries_i05(owed=Decimal("60.00"), recoveries=owed_back) == [
        Offset("CR-1", Decimal("30.00")),
        Offset("CR-2", Decimal("30.00")),
    ]
    assert offset_recoveries_i05(owed=Decimal("100.00"), recoveries=owed_back) == [
        Offset("CR-1", Decimal("30.00")),
        Offset("CR-2", Decimal("50.00")),
        Offset("CR-3", Decimal("5.00")),
    ]
    assert offset_recoveries_i05(owed=Decimal("0.00"), recoveries=owed_back) == []
    assert offset_recoveries_i05(owed=Decimal("9.99"), recoveries=[]) == []


def test_i05_a_delay_is_whole_seconds_and_days_round_half_up() -> None:
    submitted = datetime(2026, 11, 1, 22, 30, tzinfo=UTC)

    assert (
        payment_delay_seconds_i05(
            submitted_at=submitted, paid_at=submitted + timedelta(days=1, seconds=1.9)
        )
        == 86_401
    )
    assert in_days(43_200) == Decimal("0.50")
    assert in_days(432) == Decimal("0.01")  # 0.005 days, half up
    assert in_days(431) == Decimal("0.00")


def test_i05_the_p95_is_the_nearest_rank() -> None:
    assert [p95_rank(n) for n in (1, 2, 19, 20, 21, 100)] == [1, 2, 19, 19, 20, 95]


def test_i05_the_average_is_held_to_four_days_exactly() -> None:
    four_days = 4 * 86_400

    just_under = delay_figures_i05(
        lines=2, total_seconds=2 * four_days - 2, p95_seconds=four_days, over_max=0
    )
    exactly = delay_figures_i05(lines=1, total_seconds=four_days, p95_seconds=four_days, over_max=0)
    nothing = delay_figures_i05(lines=0, total_seconds=0, p95_seconds=None, over_max=0)

    assert just_under.average_within_target is True
    assert just_under.average_days == Decimal("4.00")  # rounded for reading, not for the target
    assert exactly.average_within_target is False
    assert (nothing.average_days, nothing.p95_days, nothing.average_within_target) == (
        None,
        None,
        None,
    )
