"""D-10 (urgent medical aid: 3 months per period, renewed after a new social inquiry) and D-11
(the insurability transition: 3 months from `insurable_since`, extended once)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_registry.decisions.rules import (
    PendingMutation,
    check_insurability_d11,
    check_reactivation_d11,
    check_social_inquiry_date_d10,
    check_urgent_aid_period_d10,
    renew_urgent_aid_d10,
    transition_end_d11,
    urgent_aid_period_end_d10,
    urgent_aid_period_start_d10,
)
from mediprima_contracts.components import Category, InsurabilityExtension, MutationKind
from servicekit.errors import Conflict

from .factories import coverage, period, version_of

JAN, MAR, APR, JUN = date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 30)
TODAY = date(2026, 3, 20)
EXTENSION = InsurabilityExtension(reason="documents_pending", explanation="Residence card awaited")


def _urgent(end: date = MAR, **changes: object):  # type: ignore[no-untyped-def]
    return version_of(
        JAN,
        end,
        urgent_medical_aid=True,
        urgent_aid_period_start=changes.pop("urgent_aid_period_start", JAN),
        social_inquiry_date=changes.pop("social_inquiry_date", date(2025, 12, 20)),
        **changes,
    )


def test_d10_urgent_aid_runs_at_most_three_months_from_its_period_start() -> None:
    assert urgent_aid_period_end_d10(JAN) == MAR
    assert (
        check_urgent_aid_period_d10(
            urgent_aid_period_start=JAN, period=period(JAN, MAR), coverages=[]
        )
        == []
    )
    findings = check_urgent_aid_period_d10(
        urgent_aid_period_start=JAN,
        period=period(JAN, APR),
        coverages=[coverage("hospitalisation", date(2026, 2, 1), APR)],
    )
    assert [(item.rule, item.code, item.field) for item in findings] == [
        ("D-10", "decision.urgent_aid_too_long", "period.end"),
        ("D-10", "decision.urgent_aid_too_long", "coverages.0.period.end"),
    ]
    assert (
        check_urgent_aid_period_d10(
            urgent_aid_period_start=None, period=period(JAN, JUN), coverages=[]
        )
        == []
    )


def test_d10_the_period_starts_with_the_decision_and_a_renewal_keeps_its_start() -> None:
    assert (
        urgent_aid_period_start_d10(urgent_medical_aid=True, period_start=JAN, before=None) == JAN
    )
    assert urgent_aid_period_start_d10(urgent_medical_aid=False, period_start=JAN, before=None) is (
        None
    )
    first = _urgent()
    earlier = JAN - timedelta(days=10)
    assert (
        urgent_aid_period_start_d10(urgent_medical_aid=True, period_start=earlier, before=first)
        == earlier
    )
    renewed = version_of(JAN, JUN, urgent_medical_aid=True, urgent_aid_period_start=APR)
    assert (
        urgent_aid_period_start_d10(urgent_medical_aid=True, period_start=JAN, before=renewed)
        == APR
    )


def test_d10_a_social_inquiry_is_not_in_the_future() -> None:
    assert check_social_inquiry_date_d10(inquiry_date=TODAY, today=TODAY) == []
    [finding] = check_social_inquiry_date_d10(inquiry_date=TODAY + timedelta(days=1), today=TODAY)
    assert (finding.rule, finding.code) == ("D-10", "decision.social_inquiry_in_future")


def test_d10_an_extension_within_the_period_needs_no_inquiry() -> None:
    before = _urgent(end=date(2026, 2, 28))
    renewal = renew_urgent_aid_d10(before=before, new_end=MAR, inquiry_date=None, today=TODAY)
    assert renewal.findings == []
    assert renewal.urgent_aid_period_start == JAN
    assert renewal.social_inquiry_date == date(2025, 12, 20)


def test_d10_beyond_the_period_a_new_inquiry_opens_the_next_three_months() -> None:
    before = _urgent()
    inquiry = date(2026, 3, 15)
    renewal = renew_urgent_aid_d10(before=before, new_end=JUN, inquiry_date=inquiry, today=TODAY)
    assert renewal.findings == []
    assert (renewal.urgent_aid_period_start, renewal.social_inquiry_date) == (APR, inquiry)


@pytest.mark.parametrize(
    ("inquiry", "new_end", "code"),
    [
        (None, JUN, "decision.urgent_aid_inquiry_required"),
        (date(2025, 12, 20), JUN, "decision.urgent_aid_inquiry_not_new"),
        (date(2026, 3, 15), date(2026, 7, 1), "decision.urgent_aid_too_long"),
        (date(2026, 3, 21), JUN, "decision.social_inquiry_in_future"),
    ],
)
def test_d10_a_renewal_follows_a_new_inquiry_and_runs_three_months_at_most(
    inquiry: date | None, new_end: date, code: str
) -> None:
    renewal = renew_urgent_aid_d10(
        before=_urgent(), new_end=new_end, inquiry_date=inquiry, today=TODAY
    )
    assert [(item.rule, item.code) for item in renewal.findings] == [("D-10", code)]


def test_d10_a_decision_without_urgent_aid_is_extended_freely() -> None:
    before = version_of(JAN, MAR)
    renewal = renew_urgent_aid_d10(before=before, new_end=JUN, inquiry_date=None, today=TODAY)
    assert renewal.findings == []
    assert renewal.urgent_aid_period_start is None


def _insurability(**changes: object):  # type: ignore[no-untyped-def]
    arguments: dict[str, object] = {
        "category": Category.ASYLUM_SEEKER,
        "insurable": True,
        "affiliated_to_fund": False,
        "insurable_since": JAN,
        "extension": None,
        "period": period(JAN, MAR),
        "today": TODAY,
    }
    return check_insurability_d11(**(arguments | changes))  # type: ignore[arg-type]


def test_d11_the_transition_runs_three_months_from_insurable_since_then_once_three_more() -> None:
    assert transition_end_d11(JAN, None) == MAR
    assert transition_end_d11(JAN, EXTENSION) == JUN
    assert _insurability() == []
    [exceeded] = _insurability(period=period(JAN, APR))
    assert (exceeded.rule, exceeded.code, exceeded.field) == (
        "D-11",
        "decision.insurability_transition_exceeded",
        "period.end",
    )
    assert _insurability(period=period(JAN, JUN), extension=EXTENSION) == []
    [beyond] = _insurability(period=period(JAN, date(2026, 7, 1)), extension=EXTENSION)
    assert beyond.code == "decision.insurability_extension_exceeded"


def test_d11_insurable_since_is_required_and_not_in_the_future() -> None:
    [missing] = _insurability(insurable_since=None)
    assert (missing.code, missing.field) == ("decision.insurable_since_required", "insurable_since")
    [future] = _insurability(insurable_since=TODAY + timedelta(days=1))
    assert future.code == "decision.insurable_since_in_future"
    assert _insurability(insurable=False, insurable_since=None, period=period(JAN, JUN)) == []
    assert _insurability(category=Category.INSURED_NEEDY, period=period(JAN, JUN)) == []


def test_d11_an_affiliated_person_gets_no_active_decision() -> None:
    [finding] = _insurability(affiliated_to_fund=True)
    assert (finding.rule, finding.code) == ("D-11", "decision.affiliated_to_fund")


def test_d11_a_fund_affiliation_keeps_the_decision_suspended() -> None:
    with pytest.raises(Conflict) as refused:
        check_reactivation_d11(
            [PendingMutation(mutation_id=1, kind=MutationKind.FUND_AFFILIATION, effective_date=JAN)]
        )
    assert refused.value.errors[0].rule == "D-11"


@given(since=st.dates(date(2024, 1, 1), date(2027, 12, 31)))
def test_d11_the_extension_follows_the_first_transition_without_a_gap(since: date) -> None:
    first, extended = transition_end_d11(since, None), transition_end_d11(since, EXTENSION)
    assert since < first < extended
    assert 88 <= (first - since).days + 1 <= 92
    assert 88 <= (extended - first).days <= 92
