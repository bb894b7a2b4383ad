"""D-03 (retroactive widening only), D-04 (60-day backdating limit), D-05 (60-day care rule)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from decision_registry.decisions.rules import (
    RuleFinding,
    check_backdating_d04,
    check_care_start_d05,
    check_retroactive_narrowing_d03,
    effective_from_d03,
    first_widened_day_d03,
    state_pays_for_care_d05,
)
from mediprima_contracts.components import Coverage

from .factories import coverage, period

TODAY = date(2026, 6, 15)
days = st.integers(min_value=-120, max_value=120).map(lambda n: TODAY + timedelta(days=n))


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, date]:
    first, second = draw(days), draw(days)
    return min(first, second), max(first, second)


def _gp(start: date, end: date, **levels: str) -> Coverage:
    return coverage("general_medicine", start, end, **levels)


def _narrowing(old: tuple[date, date], new: tuple[date, date], today: date) -> list[RuleFinding]:
    outer = period(min(old[0], new[0]), max(old[1], new[1]))
    return list(
        check_retroactive_narrowing_d03(
            before_period=outer,
            before_coverages=[_gp(*old)],
            after_period=outer,
            after_coverages=[_gp(*new)],
            today=today,
        )
    )


@given(old=spans(), new=spans(), today=days)
def test_d03_an_accepted_change_keeps_every_past_day_of_coverage(
    old: tuple[date, date], new: tuple[date, date], today: date
) -> None:
    if not _narrowing(old, new, today):
        day = old[0]
        while day <= min(old[1], today - timedelta(days=1)):
            assert new[0] <= day <= new[1]
            day += timedelta(days=1)


@given(old=spans(), today=days, earlier=st.integers(0, 60), later=st.integers(0, 60))
def test_d03_widening_is_always_accepted_even_retroactively(
    old: tuple[date, date], today: date, earlier: int, later: int
) -> None:
    wider = (old[0] - timedelta(days=earlier), old[1] + timedelta(days=later))
    assert _narrowing(old, wider, today) == []


@given(old=spans(), today=days, cut=st.integers(0, 240))
def test_d03_narrowing_from_today_on_is_accepted(
    old: tuple[date, date], today: date, cut: int
) -> None:
    new_end = max(old[1] - timedelta(days=cut), today - timedelta(days=1), old[0])
    assert _narrowing(old, (old[0], min(new_end, old[1])), today) == []


def test_d03_ending_a_coverage_before_today_is_refused() -> None:
    [finding] = _narrowing(
        (TODAY - timedelta(days=30), TODAY + timedelta(days=30)),
        (TODAY - timedelta(days=30), TODAY - timedelta(days=10)),
        TODAY,
    )
    assert finding.rule == "D-03"
    assert finding.code == "decision.retroactive_narrowing"


def test_d03_paying_less_for_past_days_is_a_narrowing() -> None:
    window = period(TODAY - timedelta(days=30), TODAY + timedelta(days=30))
    findings = check_retroactive_narrowing_d03(
        before_period=window,
        before_coverages=[_gp(window.start, window.end, patient_share="FULL")],
        after_period=window,
        after_coverages=[_gp(window.start, window.end, patient_share="NOTHING")],
        today=TODAY,
    )
    assert [item.rule for item in findings] == ["D-03"]


def test_d03_a_retroactive_widening_takes_effect_from_its_first_new_day() -> None:
    window = period(TODAY - timedelta(days=50), TODAY + timedelta(days=30))
    first = first_widened_day_d03(
        before_period=window,
        before_coverages=[_gp(TODAY - timedelta(days=20), window.end)],
        after_period=window,
        after_coverages=[_gp(TODAY - timedelta(days=40), window.end)],
    )
    assert first == TODAY - timedelta(days=40)
    assert effective_from_d03(first_widened=first, today=TODAY, period_start=window.start) == first
    assert effective_from_d03(first_widened=None, today=TODAY, period_start=window.start) == TODAY


@given(decision_date=days, start=days, court=st.booleans())
def test_d04_rights_reach_back_at_most_60_days_unless_a_court_decided(
    decision_date: date, start: date, court: bool
) -> None:
    findings = check_backdating_d04(
        decision_date=decision_date,
        court_decision=court,
        period=period(start, max(start, decision_date)),
        coverages=[],
    )
    too_early = start < decision_date - timedelta(days=60)
    assert bool(findings) == (too_early and not court)
    assert all(item.rule == "D-04" and item.field == "period.start" for item in findings)


def test_d04_a_backdated_coverage_names_its_field() -> None:
    findings = check_backdating_d04(
        decision_date=TODAY,
        court_decision=False,
        period=period(TODAY - timedelta(days=60), TODAY),
        coverages=[_gp(TODAY - timedelta(days=61), TODAY)],
    )
    assert [(item.code, item.field) for item in findings] == [
        ("decision.backdated_too_far", "coverages.0.period.start")
    ]


def test_d05_the_state_pays_care_started_at_most_60_days_before_the_decision() -> None:
    assert state_pays_for_care_d05(care_start=TODAY - timedelta(days=60), decision_date=TODAY)
    assert not state_pays_for_care_d05(care_start=TODAY - timedelta(days=61), decision_date=TODAY)


def test_d05_warns_about_unpaid_early_care_and_late_notice_to_the_funder() -> None:
    start = TODAY - timedelta(days=90)
    findings = check_care_start_d05(
        decision_date=TODAY,
        period=period(start, TODAY),
        coverages=[_gp(start, TODAY)],
    )
    assert [(item.rule, item.code, item.blocking) for item in findings] == [
        ("D-05", "decision.care_before_state_limit", False),
        ("D-05", "decision.late_funder_notice", False),
    ]
    assert (
        check_care_start_d05(
            decision_date=TODAY, period=period(TODAY, TODAY), coverages=[_gp(TODAY, TODAY)]
        )
        == []
    )
