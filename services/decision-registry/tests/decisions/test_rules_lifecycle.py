"""D-01 (versions), D-07 (death window), D-08 (suspension, mutations), D-09 (extension),
D-11 (insurability), D-13 (errors versus warnings), D-14 (ownership)."""

from datetime import date, timedelta

import pytest

from decision_registry.decisions.rules import (
    MutationEffect,
    Operation,
    PendingMutation,
    check_death_after_birth_d07,
    check_death_window_d07,
    check_expected_version_d01,
    check_extension_d09,
    check_insurability_d11,
    check_ownership_d14,
    check_reactivation_d08,
    check_reactivation_d11,
    check_stop_date_d07,
    check_stop_with_pending_d08,
    error,
    extended_coverages_d09,
    mutation_effect_d08,
    next_version_d01,
    settle_findings_d13,
    settle_pending_on_stop_d08,
    several_pending_d08,
    status_after_d08,
    warning,
)
from mediprima_contracts.components import Category, DecisionStatus, MutationKind
from servicekit.errors import Conflict, Forbidden, PreconditionFailed, Unprocessable

from .factories import coverage, period

DAY = date(2026, 5, 10)


def test_d01_versions_count_up_by_one_and_a_stale_version_is_refused() -> None:
    assert next_version_d01(1) == 2
    check_expected_version_d01(current=3, expected=3)
    with pytest.raises(PreconditionFailed) as refused:
        check_expected_version_d01(current=3, expected=2)
    assert refused.value.errors[0].rule == "D-01"


def test_d07_changes_are_allowed_up_to_five_days_after_death() -> None:
    assert check_death_window_d07(death_date=None, today=DAY) == []
    assert check_death_window_d07(death_date=DAY, today=DAY + timedelta(days=5)) == []
    [finding] = check_death_window_d07(death_date=DAY, today=DAY + timedelta(days=6))
    assert (finding.rule, finding.code) == ("D-07", "decision.after_death_window")


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


def test_d11_an_affiliated_person_gets_no_active_decision() -> None:
    [finding] = check_insurability_d11(
        category=Category.ASYLUM_SEEKER,
        insurable=True,
        affiliated_to_fund=True,
        period=period(DAY, DAY),
        comment=None,
    )
    assert (finding.rule, finding.code) == ("D-11", "decision.affiliated_to_fund")


def test_d11_the_insurability_transition_is_three_months_unless_a_reason_is_given() -> None:
    long = period(date(2026, 1, 1), date(2026, 5, 31))
    common = {"category": Category.ASYLUM_SEEKER, "insurable": True, "affiliated_to_fund": False}
    [refused] = check_insurability_d11(**common, period=long, comment=None)
    assert (refused.code, refused.blocking) == ("decision.insurability_transition_exceeded", True)
    [noted] = check_insurability_d11(**common, period=long, comment="Waiting for the fund's card")
    assert (noted.code, noted.blocking) == ("decision.insurability_transition_extended", False)
    short = period(date(2026, 1, 1), date(2026, 3, 31))
    assert check_insurability_d11(**common, period=short, comment=None) == []


def test_d11_a_fund_affiliation_keeps_the_decision_suspended() -> None:
    with pytest.raises(Conflict) as refused:
        check_reactivation_d11(
            [PendingMutation(mutation_id=1, kind=MutationKind.FUND_AFFILIATION, effective_date=DAY)]
        )
    assert refused.value.errors[0].rule == "D-11"


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
