"""D-01 (versions), D-07 (death window), D-08 (suspension, mutations), D-09 (extension),
D-13 (errors versus warnings), D-14 (ownership)."""

from datetime import date, timedelta

import pytest

from decision_registry.decisions.rules import (
    MutationEffect,
    Operation,
    PendingMutation,
    check_death_after_birth_d07,
    check_expected_version_d01,
    check_extension_d09,
    check_ownership_d14,
    check_reactivation_d08,
    check_stop_date_d07,
    check_stop_with_pending_d08,
    check_within_death_window_d07,
    error,
    extended_coverages_d09,
    mutation_day_d08,
    mutation_effect_d08,
    next_version_d01,
    settle_findings_d13,
    settle_pending_on_stop_d08,
    several_pending_d08,
    status_after_d08,
    suspended_since_d08,
    warning,
)
from mediprima_contracts.components import DecisionStatus, MutationKind
from servicekit.errors import Conflict, Forbidden, PreconditionFailed, Unprocessable

from .factories import coverage, period, version_of

DAY = date(2026, 5, 10)


def test_d01_versions_count_up_by_one_and_a_stale_version_is_refused() -> None:
    assert next_version_d01(1) == 2
    check_expected_version_d01(current=3, expected=3)
    with pytest.raises(PreconditionFailed) as refused:
        check_expected_version_d01(current=3, expected=2)
    assert refused.value.errors[0].rule == "D-01"


def test_d07_the_window_bounds_the_dates_of_the_decision_not_the_filing_day() -> None:
    start, last = DAY - timedelta(days=40), DAY + timedelta(days=5)
    assert (
        check_within_death_window_d07(
            death_date=None, period=period(start, DAY + timedelta(days=90)), coverages=[]
        )
        == []
    )
    assert (
        check_within_death_window_d07(
            death_date=DAY,
            period=period(start, last),
            coverages=[coverage("pharmaceutical", start, last)],
        )
        == []
    )
    findings = check_within_death_window_d07(
        death_date=DAY,
        period=period(start, last + timedelta(days=1)),
        coverages=[coverage("pharmaceutical", start, last + timedelta(days=1))],
    )
    assert [(item.rule, item.code, item.field) for item in findings] == [
        ("D-07", "decision.beyond_death_window", "period.end"),
        ("D-07", "decision.beyond_death_window", "coverages.0.period.end"),
    ]


def test_d07_a_stop_date_lies_between_the_death_and_five_days_after() -> None:
    assert check_stop_date_d07(death_date=DAY, stop_date=DAY) == []
    assert check_stop_date_d07(death_date=DAY, stop_date=DAY + timedelta(days=5)) == []
    for outside in (DAY - timedelta(days=1), DAY + timedelta(days=6)):
        [finding] = check_stop_date_d07(death_date=DAY, stop_date=outside)
        assert (finding.rule, finding.field) == ("D-07", "stop_date")


@pytest.mark.parametrize(
    ("status", "operation", "after"),
    [
        (DecisionStatus.ACTIVE, Operation.REPLACE, DecisionStatus.ACTIVE),
        (DecisionStatus.ACTIVE, Operation.SUSPEND, DecisionStatus.SUSPENDED),
        (DecisionStatus.SUSPENDED, Operation.REACTIVATE, DecisionStatus.ACTIVE),
        (DecisionStatus.SUSPENDED, Operation.STOP, DecisionStatus.STOPPED),
    ],
)
def test_d08_allowed_transitions(
    status: DecisionStatus, operation: Operation, after: DecisionStatus
) -> None:
    assert status_after_d08(status=status, operation=operation) == after


@pytest.mark.parametrize(
    ("status", "operation"),
    [
        (DecisionStatus.SUSPENDED, Operation.REPLACE),
        (DecisionStatus.SUSPENDED, Operation.EXTEND),
        (DecisionStatus.ACTIVE, Operation.REACTIVATE),
        (DecisionStatus.STOPPED, Operation.STOP),
    ],
)
def test_d08_a_suspended_decision_is_only_reactivated_or_stopped(
    status: DecisionStatus, operation: Operation
) -> None:
    with pytest.raises(Conflict) as refused:
        status_after_d08(status=status, operation=operation)
    assert refused.value.errors[0].rule == "D-08"


def test_d08_mutation_effects() -> None:
    assert mutation_effect_d08(MutationKind.NAME_CHANGE) is MutationEffect.RENAME
    assert mutation_effect_d08(MutationKind.DEATH) is MutationEffect.RECORD_DEATH
    for kind in (
        MutationKind.SSIN_CHANGE,
        MutationKind.RESIDENCE_CHANGE,
        MutationKind.FUND_AFFILIATION,
    ):
        assert mutation_effect_d08(kind) is MutationEffect.SUSPEND
    assert mutation_effect_d08(MutationKind.DEATH, stopped=True) is None


def test_d08_an_ssin_change_suspends_only_decisions_under_another_number() -> None:
    ssin_change = MutationKind.SSIN_CHANGE
    assert mutation_effect_d08(ssin_change, under_new_number=True) is None
    assert (
        mutation_effect_d08(ssin_change, under_new_number=True, absorbed=True)
        is MutationEffect.MERGE_IDENTITY
    )
    assert mutation_effect_d08(ssin_change, stopped=True, absorbed=True) is (
        MutationEffect.MERGE_IDENTITY
    )
    assert mutation_effect_d08(ssin_change, absorbed=True) is MutationEffect.SUSPEND


def test_d08_a_suspension_applies_from_the_mutation_day_a_neutral_change_never_earlier() -> None:
    replaced = version_of(
        DAY - timedelta(days=30),
        DAY + timedelta(days=60),
        version=2,
        effective_from=DAY - timedelta(days=20),
        narrowing_from=DAY,
    )
    earlier = DAY - timedelta(days=10)
    assert (
        mutation_day_d08(effect=MutationEffect.SUSPEND, effective_date=earlier, previous=replaced)
        == earlier
    )
    for neutral in (MutationEffect.RENAME, MutationEffect.RECORD_DEATH):
        assert mutation_day_d08(effect=neutral, effective_date=earlier, previous=replaced) == DAY
    before_start = DAY - timedelta(days=90)
    assert (
        mutation_day_d08(
            effect=MutationEffect.SUSPEND, effective_date=before_start, previous=replaced
        )
        == replaced.period.start
    )


def test_d08_reactivation_restores_from_the_first_suspended_day() -> None:
    start, end = DAY - timedelta(days=30), DAY + timedelta(days=60)
    history = [
        version_of(start, end),
        version_of(start, end, version=2, status="suspended", effective_from=DAY),
        version_of(
            start, end, version=3, status="suspended", effective_from=DAY - timedelta(days=4)
        ),
        version_of(start, end, version=4, status="suspended", effective_from=DAY),
    ]
    assert suspended_since_d08(history) == DAY - timedelta(days=4)
    with pytest.raises(ValueError, match="not suspended"):
        suspended_since_d08(history[:1])


def _pending(*days_after: int) -> list[PendingMutation]:
    return [
        PendingMutation(
            mutation_id=index,
            kind=MutationKind.RESIDENCE_CHANGE,
            effective_date=DAY + timedelta(days=n),
        )
        for index, n in enumerate(days_after, start=1)
    ]


def test_d08_several_pending_mutations_stop_the_day_before_the_first() -> None:
    pending = _pending(7, 3)
    [hint] = several_pending_d08(pending)
    assert (hint.rule, hint.code, hint.blocking) == (
        "D-08",
        "decision.several_pending_mutations",
        False,
    )
    with pytest.raises(Conflict):
        check_reactivation_d08(pending)
    first = DAY + timedelta(days=3)
    assert check_stop_with_pending_d08(pending=pending, stop_date=first - timedelta(days=1)) == []
    [wrong] = check_stop_with_pending_d08(pending=pending, stop_date=first)
    assert wrong.code == "decision.stop_date_not_before_first_mutation"
    assert settle_pending_on_stop_d08(pending) == ([2], [1])


def test_d08_a_single_pending_mutation_allows_reactivation() -> None:
    check_reactivation_d08(_pending(1))
    assert several_pending_d08(_pending(1)) == []


def test_d09_an_extension_moves_the_end_later_within_one_year() -> None:
    window = period(date(2026, 1, 1), date(2026, 6, 30))
    assert check_extension_d09(period=window, new_end=date(2026, 12, 31)) == []
    [beyond] = check_extension_d09(period=window, new_end=date(2027, 1, 1))
    assert (beyond.rule, beyond.code) == ("D-09", "decision.extension_beyond_one_year")
    [earlier] = check_extension_d09(period=window, new_end=date(2026, 6, 30))
    assert earlier.code == "decision.extension_not_later"


def test_d09_coverages_running_to_the_end_follow_it() -> None:
    end, new_end = date(2026, 6, 30), date(2026, 9, 30)
    moved, kept = extended_coverages_d09(
        [
            coverage("general_medicine", date(2026, 1, 1), end),
            coverage("pharmaceutical", date(2026, 1, 1), date(2026, 3, 31)),
        ],
        old_end=end,
        new_end=new_end,
    )
    assert moved.period.end == new_end
    assert kept.period.end == date(2026, 3, 31)


def test_d13_errors_block_and_list_every_error_warnings_are_returned() -> None:
    hint = warning("D-05", "decision.late_funder_notice", "late")
    assert [item.code for item in settle_findings_d13([hint])] == ["decision.late_funder_notice"]
    with pytest.raises(Unprocessable) as refused:
        settle_findings_d13(
            [
                hint,
                error("D-04", "decision.backdated_too_far", "too early", "period.start"),
                error("D-06", "coverage.x", "pair", "coverages.0.period"),
            ]
        )
    assert [item.rule for item in refused.value.errors] == ["D-04", "D-06"]
    assert refused.value.errors[0].field == "period.start"


def test_d14_only_the_owner_may_change_a_decision() -> None:
    check_ownership_d14(owner="0212345678", caller="0212345678")
    with pytest.raises(Forbidden) as refused:
        check_ownership_d14(owner="0212345678", caller="0298765432")
    assert refused.value.errors[0].rule == "D-14"


def test_d07_a_death_never_precedes_the_birth() -> None:
    assert check_death_after_birth_d07(birth_date=DAY, death_date=DAY) == []
    assert check_death_after_birth_d07(birth_date=None, death_date=DAY) == []
    [finding] = check_death_after_birth_d07(birth_date=DAY, death_date=DAY - timedelta(days=1))
    assert (finding.rule, finding.code) == ("D-07", "person.death_before_birth")
