"""D-03 (widen back in time, narrow from the day of the change), D-04 (60 days back from the
filing day), D-05 (60-day care rule warnings)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_registry.decisions.rules import (
    Widening,
    check_backdating_d04,
    check_care_start_d05,
    check_court_reference_d04,
    check_decision_date_d04,
    check_narrowing_from_day_of_change_d03,
    check_stop_not_retroactive_d03,
    check_widened_days_d04,
    earliest_grantable_day_d04,
    effective_from_d03,
    narrowings_d03,
    widenings_d03,
)
from mediprima_contracts.components import CareType, Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_domain.coverage import CareQuestion, DecisionHistory, resolve_coverage

from .factories import coverage, period, version_of

TODAY = date(2026, 6, 15)
START, END = TODAY - timedelta(days=50), TODAY + timedelta(days=50)
LEVELS = st.sampled_from(["NOTHING", "PARTIAL", "FULL"])
days = st.integers(min_value=-50, max_value=50).map(lambda n: TODAY + timedelta(days=n))


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, date]:
    first, second = draw(days), draw(days)
    return min(first, second), max(first, second)


def _gp(start: date, end: date, **levels: str) -> Coverage:
    return coverage("general_medicine", start, end, **levels)


def _change(
    before: DecisionVersionPublished, covers: list[Coverage], **changes: object
) -> DecisionVersionPublished:
    return _with(before, version=2, coverages=covers, **changes)


def _with(base: DecisionVersionPublished, **changes: object) -> DecisionVersionPublished:
    return DecisionVersionPublished.model_validate(base.model_dump() | changes)


def _share(version: DecisionVersionPublished, setting: str, pct: int) -> dict[str, object]:
    return version.state_share.model_dump() | {
        setting: {"insurance_part_pct": pct, "patient_share_pct": pct}
    }


def test_d03_a_new_or_longer_cover_is_a_widening_of_new_days() -> None:
    before = version_of(START, END, covers=[_gp(TODAY, END)])
    after = _change(before, [_gp(TODAY - timedelta(days=20), END)])
    assert widenings_d03(before, after) == [
        Widening(TODAY - timedelta(days=20), "coverages.0.period.start", new_days=True)
    ]
    added = _change(before, [_gp(TODAY, END), coverage("pharmaceutical", START, END)])
    assert widenings_d03(before, added) == [
        Widening(START, "coverages.1.period.start", new_days=True)
    ]


def test_d03_better_terms_on_granted_days_are_a_widening_of_terms() -> None:
    before = version_of(START, END, covers=[_gp(START, END, patient_share="NOTHING")])
    after = _change(before, [_gp(START, END, patient_share="FULL")])
    assert widenings_d03(before, after) == [Widening(START, "coverages.0", new_days=False)]
    poorer = _with(before, state_share=_share(before, "outside_hospital", 0))
    assert widenings_d03(poorer, before) == [Widening(START, "state_share", new_days=False)]


def test_d03_narrowing_past_days_is_told_from_today_on() -> None:
    before = version_of(START, END, covers=[_gp(START, END)])
    shorter = _change(before, [_gp(START, TODAY - timedelta(days=10))])
    [finding] = check_narrowing_from_day_of_change_d03(before, shorter, today=TODAY)
    assert (finding.rule, finding.code, finding.blocking) == (
        "D-03",
        "decision.narrowing_from_day_of_change",
        False,
    )
    assert str(TODAY) in finding.message
    from_today = _change(before, [_gp(START, TODAY - timedelta(days=1))])
    assert check_narrowing_from_day_of_change_d03(before, from_today, today=TODAY) == []


def test_d03_a_lower_top_up_state_share_or_the_urgent_aid_flag_is_a_narrowing() -> None:
    before = version_of(START, END, covers=[_gp(START, END, patient_share="FULL")])
    assert narrowings_d03(
        before, _change(before, [_gp(START, END, patient_share="PARTIAL")]), today=TODAY
    ) == ["coverages.general_medicine"]
    assert narrowings_d03(
        before, _change(before, [_gp(START, END, prescription_required=True)]), today=TODAY
    ) == ["coverages.general_medicine"]
    flagged = _with(before, version=2, urgent_medical_aid=True)
    assert narrowings_d03(before, flagged, today=TODAY) == ["urgent_medical_aid"]
    lower = _with(before, version=2, state_share=_share(before, "hospitalisation", 50))
    assert narrowings_d03(before, lower, today=TODAY) == ["state_share"]
    future = version_of(TODAY, END)
    assert narrowings_d03(future, _change(future, []), today=TODAY) == []


def test_d03_a_change_applies_from_today_or_its_first_widened_day_within_d04() -> None:
    limit = TODAY - timedelta(days=60)
    new_days = Widening(TODAY - timedelta(days=20), "period.start", new_days=True)
    terms = Widening(TODAY - timedelta(days=90), "state_share", new_days=False)
    assert effective_from_d03(widenings=[], today=TODAY, limit=limit) == TODAY
    assert effective_from_d03(widenings=[new_days], today=TODAY, limit=limit) == new_days.first_day
    assert effective_from_d03(widenings=[terms], today=TODAY, limit=limit) == limit
    assert effective_from_d03(widenings=[terms], today=TODAY, limit=None) == terms.first_day


def test_d03_a_stop_takes_no_day_before_today() -> None:
    window = period(START, END)
    yesterday = TODAY - timedelta(days=1)
    assert check_stop_not_retroactive_d03(period=window, stop_date=yesterday, today=TODAY) == []
    [refused] = check_stop_not_retroactive_d03(
        period=window, stop_date=TODAY - timedelta(days=2), today=TODAY
    )
    assert (refused.rule, refused.code, refused.field) == (
        "D-03",
        "decision.retroactive_narrowing",
        "stop_date",
    )
    ended = period(START, TODAY - timedelta(days=30))
    assert check_stop_not_retroactive_d03(period=ended, stop_date=ended.end, today=TODAY) == []


@settings(max_examples=150, deadline=None)
@given(old=spans(), new=spans(), old_level=LEVELS, new_level=LEVELS, today=days)
def test_d03_the_resolution_keeps_every_past_right_and_applies_the_change_from_today(
    old: tuple[date, date], new: tuple[date, date], old_level: str, new_level: str, today: date
) -> None:
    """Filed as the registry files it, a change never takes a right away before the day of the
    change, grants its widenings back in time, and is the whole answer from that day on."""
    first = version_of(START, END, covers=[_gp(*old, patient_share=old_level)])
    draft = _change(first, [_gp(*new, patient_share=new_level)], change_kind="replaced")
    widenings = widenings_d03(first, draft)
    change = draft.model_copy(
        update={
            "effective_from": effective_from_d03(widenings=widenings, today=today, limit=None),
            "narrowing_from": today,
        }
    )
    history = DecisionHistory([first, change])
    day = START
    while day <= END:
        answer = resolve_coverage(
            history,
            CareQuestion(ssin=first.ssin, on=day, care_type=CareType.GENERAL_MEDICINE),
        )
        held, granted = old[0] <= day <= old[1], new[0] <= day <= new[1]
        if day >= today:
            assert answer.covered == granted
            if granted:
                assert answer.cover is not None
                assert answer.cover.ocmw_pays.patient_share == new_level
        else:
            if held:
                assert answer.covered
                assert answer.cover is not None
                rank = ["NOTHING", "PARTIAL", "FULL"]
                assert rank.index(answer.cover.ocmw_pays.patient_share) >= rank.index(old_level)
            if granted and not held:
                assert answer.covered
        day += timedelta(days=1)


@given(filed_on=days, start=days, court=st.booleans(), reference=st.booleans())
def test_d04_rights_reach_back_at_most_60_days_from_the_filing_day_unless_a_court_decided(
    filed_on: date, start: date, court: bool, reference: bool
) -> None:
    limit = earliest_grantable_day_d04(
        filed_on=filed_on,
        court_decision=court,
        court_decision_reference="2026/AR/1234" if reference else None,
    )
    findings = check_backdating_d04(
        limit=limit, period=period(start, max(start, filed_on)), coverages=[]
    )
    too_early = start < filed_on - timedelta(days=60)
    assert bool(findings) == (too_early and not (court and reference))
    assert all(item.rule == "D-04" and item.field == "period.start" for item in findings)


def test_d04_a_court_decision_lifts_the_limit_only_with_its_reference() -> None:
    [finding] = check_court_reference_d04(court_decision=True, court_decision_reference=None)
    assert (finding.rule, finding.code, finding.field) == (
        "D-04",
        "decision.court_reference_required",
        "court_decision_reference",
    )
    assert check_court_reference_d04(court_decision=True, court_decision_reference="R/1") == []
    assert check_court_reference_d04(court_decision=False, court_decision_reference=None) == []


def test_d04_a_backdated_coverage_names_its_field() -> None:
    findings = check_backdating_d04(
        limit=TODAY - timedelta(days=60),
        period=period(TODAY - timedelta(days=60), TODAY),
        coverages=[_gp(TODAY - timedelta(days=61), TODAY)],
    )
    assert [(item.code, item.field) for item in findings] == [
        ("decision.backdated_too_far", "coverages.0.period.start")
    ]


def test_d04_a_change_may_not_grant_new_days_further_back_than_60_days() -> None:
    limit = TODAY - timedelta(days=60)
    early = Widening(limit - timedelta(days=1), "coverages.0.period.start", new_days=True)
    terms = Widening(limit - timedelta(days=30), "state_share", new_days=False)
    [finding] = check_widened_days_d04(limit=limit, widenings=[early, terms])
    assert (finding.code, finding.field) == ("decision.backdated_too_far", early.field)
    assert check_widened_days_d04(limit=None, widenings=[early]) == []


def test_d04_the_decision_date_is_not_after_filing_nor_moved_later() -> None:
    assert check_decision_date_d04(decision_date=TODAY, filed_on=TODAY, previous=TODAY) == []
    [future] = check_decision_date_d04(decision_date=TODAY + timedelta(days=1), filed_on=TODAY)
    assert (future.rule, future.code) == ("D-04", "decision.decision_date_in_future")
    [later] = check_decision_date_d04(
        decision_date=TODAY, filed_on=TODAY, previous=TODAY - timedelta(days=3)
    )
    assert (later.rule, later.code) == ("D-04", "decision.decision_date_moved_later")
    assert (
        check_decision_date_d04(
            decision_date=TODAY - timedelta(days=5), filed_on=TODAY, previous=TODAY
        )
        == []
    )


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
    assert str(TODAY - timedelta(days=60)) in findings[0].message
    assert (
        check_care_start_d05(
            decision_date=TODAY, period=period(TODAY, TODAY), coverages=[_gp(TODAY, TODAY)]
        )
        == []
    )
