"""D-14 (one OCMW at a time, hand-overs) and D-08 (one person under every number)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from decision_registry.decisions.rules import (
    HandOverStatus,
    HeldDecision,
    NumberStatus,
    PersonStamp,
    check_answerable_d14,
    check_hand_over_target_d14,
    check_number_not_replaced_d08,
    check_one_ocmw_at_a_time_d14,
    check_settleable_d14,
    check_settlement_party_d14,
    hand_over_deadline_d14,
    in_conflict_d14,
    survivor_d08,
)
from servicekit.errors import Conflict, Unprocessable

from .factories import period

DAY = date(2026, 5, 10)
OWN, OTHER = "0212344876", "0298765432"


def _held(owner: str, start: int, end: int, number: str = "000000000196") -> HeldDecision:
    return HeldDecision(
        decision_number=number,
        owner=owner,
        period=period(DAY + timedelta(days=start), DAY + timedelta(days=end)),
    )


def test_d14_another_ocmws_overlapping_decision_is_refused_without_its_number() -> None:
    [finding] = check_one_ocmw_at_a_time_d14(
        period=period(DAY, DAY + timedelta(days=30)),
        others=[_held(OTHER, 20, 60, number="000000000295")],
        caller=OWN,
    )
    assert (finding.rule, finding.code, finding.field) == (
        "D-14",
        "decision.other_ocmw_competent",
        "period",
    )
    assert "000000000295" not in finding.message


def test_d14_an_own_overlapping_decision_is_named() -> None:
    [finding] = check_one_ocmw_at_a_time_d14(
        period=period(DAY, DAY + timedelta(days=30)), others=[_held(OWN, -10, 0)], caller=OWN
    )
    assert finding.code == "decision.overlaps_own"
    assert "000000000196" in finding.message


def test_d14_adjacent_periods_do_not_overlap() -> None:
    assert (
        check_one_ocmw_at_a_time_d14(
            period=period(DAY, DAY + timedelta(days=30)),
            others=[_held(OTHER, -30, -1), _held(OWN, 31, 60)],
            caller=OWN,
        )
        == []
    )


def test_d14_a_hand_over_is_answered_within_five_calendar_days_else_a_conflict() -> None:
    deadline = hand_over_deadline_d14(DAY)
    assert deadline == DAY + timedelta(days=5)
    pending = HandOverStatus.PENDING
    assert not in_conflict_d14(status=pending, deadline=deadline, today=deadline)
    assert in_conflict_d14(status=pending, deadline=deadline, today=deadline + timedelta(days=1))
    assert in_conflict_d14(status=HandOverStatus.REFUSED, deadline=deadline, today=DAY)
    assert not in_conflict_d14(
        status=HandOverStatus.ACCEPTED, deadline=deadline, today=deadline + timedelta(days=9)
    )


def test_d14_hand_over_checks() -> None:
    with pytest.raises(Unprocessable):
        check_hand_over_target_d14(owner=OWN, to=OWN)
    check_hand_over_target_d14(owner=OWN, to=OTHER)
    check_answerable_d14(HandOverStatus.PENDING)
    with pytest.raises(Conflict) as answered:
        check_answerable_d14(HandOverStatus.REFUSED)
    assert answered.value.errors[0].code == "hand_over.answered"
    with pytest.raises(Conflict) as settled:
        check_settleable_d14(status=HandOverStatus.PENDING, deadline=DAY, today=DAY)
    assert settled.value.errors[0].code == "hand_over.not_in_conflict"
    check_settleable_d14(status=HandOverStatus.REFUSED, deadline=DAY, today=DAY)
    with pytest.raises(Unprocessable) as party:
        check_settlement_party_d14(competent="0403170701", sender=OWN, receiver=OTHER)
    assert party.value.errors[0].code == "hand_over.settlement_party"


def test_d08_two_records_of_one_person_keep_the_older() -> None:
    older = PersonStamp("P" + "1" * 32, datetime(2026, 1, 1, tzinfo=UTC))
    newer = PersonStamp("P" + "0" * 32, datetime(2026, 2, 1, tzinfo=UTC))
    assert survivor_d08(newer, older) == (older.person_id, newer.person_id)
    assert survivor_d08(older, newer) == (older.person_id, newer.person_id)


def test_d08_a_new_decision_goes_by_the_current_number_not_a_replaced_one() -> None:
    assert check_number_not_replaced_d08(status=NumberStatus.CURRENT, current="85073003328") == []
    assert check_number_not_replaced_d08(status=None, current=None) == []
    [finding] = check_number_not_replaced_d08(status=NumberStatus.REPLACED, current="85073003328")
    assert (finding.rule, finding.code, finding.field) == ("D-08", "person.number_replaced", "ssin")
    assert "85073003328" in finding.message
