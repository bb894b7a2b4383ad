from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mediprima_contracts.testing import error_code
from mediprima_contracts.values import Period


def period(start: str, end: str) -> Period:
    return Period(start=date.fromisoformat(start), end=date.fromisoformat(end))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    return Period(start=start, end=start + timedelta(days=draw(st.integers(0, 400))))


def test_start_after_end_is_refused() -> None:
    assert error_code(lambda: period("2025-02-01", "2025-01-31")) == "period.order"


def test_a_period_counts_both_ends() -> None:
    assert period("2025-01-01", "2025-01-01").days == 1
    assert period("2025-01-01", "2025-03-31").days == 90


def test_contains_includes_both_ends() -> None:
    march = period("2025-03-01", "2025-03-31")
    assert march.contains(date(2025, 3, 1))
    assert march.contains(date(2025, 3, 31))
    assert not march.contains(date(2025, 4, 1))


def test_periods_touching_on_one_day_overlap() -> None:
    assert period("2025-01-01", "2025-01-31").overlaps(period("2025-01-31", "2025-02-28"))
    assert not period("2025-01-01", "2025-01-30").overlaps(period("2025-01-31", "2025-02-28"))


def test_covers_needs_every_day() -> None:
    quarter = period("2025-01-01", "2025-03-31")
    assert quarter.covers(period("2025-02-01", "2025-03-31"))
    assert not quarter.covers(period("2025-02-01", "2025-04-01"))


def test_period_parses_from_json() -> None:
    parsed = Period.model_validate_json('{"start": "2025-01-01", "end": "2025-01-31"}')
    assert parsed == period("2025-01-01", "2025-01-31")
    assert parsed.model_dump_json() == '{"start":"2025-01-01","end":"2025-01-31"}'


@given(periods(), periods())
def test_overlap_is_symmetric_and_matches_the_intersection(first: Period, second: Period) -> None:
    assert first.overlaps(second) == second.overlaps(first)
    shared = first.intersection(second)
    assert (shared is not None) == first.overlaps(second)
    if shared is not None:
        assert first.covers(shared)
        assert second.covers(shared)


@given(periods(), periods())
def test_covering_implies_overlapping_and_containing_the_ends(
    first: Period, second: Period
) -> None:
    assert first.covers(first)
    if first.covers(second):
        assert first.overlaps(second)
        assert first.contains(second.start)
        assert first.contains(second.end)
        assert first.days >= second.days


@given(periods(), st.dates(min_value=date(2019, 1, 1), max_value=date(2032, 12, 31)))
def test_contains_agrees_with_the_single_day_period(whole: Period, day: date) -> None:
    assert whole.contains(day) == whole.covers(Period(start=day, end=day))
