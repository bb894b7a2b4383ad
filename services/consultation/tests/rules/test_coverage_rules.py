"""C-01 .. C-03 as pure functions: the reasons a person is not covered, the guarantee's end."""

from datetime import date

import pytest

from consultation.consultations.rules import (
    answer_coverage_c01,
    audit_provider_scope_c03,
    identified_provider_c03,
    is_guaranteed_c02,
)
from consultation.numbers import is_well_formed, new_reference_number
from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.errors import Forbidden

DAY = date(2025, 2, 14)


def reason_codes(answer: object) -> list[tuple[str, str]]:
    return [(reason.rule, reason.code) for reason in answer.reasons]  # type: ignore[attr-defined]


def test_c01_no_decision_is_not_covered_with_the_reason() -> None:
    answer = answer_coverage_c01([], on=DAY, care_type=None, ssin=random_ssin())

    assert not answer.covered
    assert reason_codes(answer) == [("C-01", "decision.none")]


def test_c01_a_covered_answer_has_no_reason_and_needs_a_certificate_for_urgent_aid() -> None:
    decision = example_decision_version_published(urgent_medical_aid=True)

    answer = answer_coverage_c01([decision], on=DAY, care_type=None, ssin=decision.ssin)

    assert answer.covered
    assert answer.reasons == []
    assert answer.certificate_required


def test_c01_c04_no_certificate_is_needed_outside_urgent_medical_aid() -> None:
    decision = example_decision_version_published(urgent_medical_aid=False)

    answer = answer_coverage_c01([decision], on=DAY, care_type=None)

    assert answer.covered
    assert not answer.certificate_required


def test_c01_a_date_outside_every_cover_of_the_care_type_is_not_covered() -> None:
    decision = example_decision_version_published(
        coverages=[
            example_coverage(period={"start": "2025-01-01", "end": "2025-01-31"}),
            example_coverage(care_type="pharmaceutical"),
        ]
    )

    general = answer_coverage_c01([decision], on=DAY, care_type="general_medicine")
    pharmacy = answer_coverage_c01([decision], on=DAY, care_type="pharmaceutical")

    assert not general.covered
    assert general.decision == decision
    assert reason_codes(general) == [("C-01", "cover.not_active")]
    assert pharmacy.covered


def test_c01_a_care_type_without_cover_is_not_covered() -> None:
    decision = example_decision_version_published()

    answer = answer_coverage_c01([decision], on=DAY, care_type="prostheses")

    assert reason_codes(answer) == [("C-01", "cover.absent")]


def test_c01_d02_a_principle_decision_says_so() -> None:
    decision = example_decision_version_published(coverages=[])

    answer = answer_coverage_c01([decision], on=DAY, care_type=None)

    assert reason_codes(answer) == [("D-02", "decision.principle")]


def test_c01_a_date_outside_the_decision_names_no_decision() -> None:
    decision = example_decision_version_published()

    answer = answer_coverage_c01([decision], on=date(2025, 6, 1), care_type=None)

    assert answer.decision is None
    assert reason_codes(answer) == [("C-01", "decision.not_in_force")]


def test_c01_a_suspended_decision_is_not_covered_with_the_reason_and_the_decision() -> None:
    decision = example_decision_version_published(
        status="suspended", version=3, effective_from="2025-02-10", change_kind="suspended"
    )

    answer = answer_coverage_c01([decision], on=DAY, care_type=None)

    assert not answer.covered
    assert answer.decision == decision
    assert reason_codes(answer) == [("D-08", "decision.suspended")]
    assert not answer.certificate_required


def test_c01_d03_a_suspension_does_not_reach_back_before_it_takes_effect() -> None:
    decision = example_decision_version_published(
        status="suspended", effective_from="2025-02-15", change_kind="suspended"
    )

    before = answer_coverage_c01([decision], on=DAY, care_type=None)
    from_then = answer_coverage_c01([decision], on=date(2025, 2, 15), care_type=None)

    assert before.covered
    assert reason_codes(from_then) == [("D-08", "decision.suspended")]


def test_c01_a_stopped_decision_covers_up_to_its_stop_date_only() -> None:
    stopped = example_decision_version_published(
        status="stopped",
        change_kind="stopped",
        period={"start": "2025-01-01", "end": "2025-02-14"},
        coverages=[example_coverage(period={"start": "2025-01-01", "end": "2025-02-14"})],
        effective_from="2025-02-15",
    )

    last_day = answer_coverage_c01([stopped], on=DAY, care_type=None)
    after = answer_coverage_c01([stopped], on=date(2025, 2, 20), care_type=None)

    assert last_day.covered
    assert reason_codes(after) == [("D-08", "decision.stopped")]


def test_c01_the_active_decision_answers_when_an_old_one_was_stopped() -> None:
    old = example_decision_version_published(
        status="stopped", change_kind="stopped", effective_from="2025-02-01"
    )
    new = example_decision_version_published(
        ssin=old.ssin, period={"start": "2025-02-01", "end": "2025-03-31"}
    )

    answer = answer_coverage_c01([old, new], on=DAY, care_type=None, ssin=old.ssin)

    assert answer.covered
    assert answer.decision == new


def test_c01_after_death_the_person_is_not_covered() -> None:
    decision = example_decision_version_published(
        person={
            "last_name": "Peeters",
            "first_name": "An",
            "birth_date": "1985-07-30",
            "sex": "female",
            "death_date": "2025-02-01",
        }
    )

    answer = answer_coverage_c01([decision], on=DAY, care_type=None)

    assert reason_codes(answer) == [("C-01", "person.deceased")]


def test_c01_a_replaced_ssin_no_longer_answers_for_the_old_number() -> None:
    old_ssin = random_ssin()
    decision = example_decision_version_published(version=3)  # carries the new SSIN now

    answer = answer_coverage_c01([decision], on=DAY, care_type=None, ssin=old_ssin)

    assert not answer.covered
    assert reason_codes(answer) == [("C-01", "person.ssin_replaced")]


@pytest.mark.parametrize(
    ("today", "guaranteed"),
    [(date(2026, 2, 9), True), (date(2026, 1, 10), True), (date(2026, 2, 10), False)],
)
def test_c02_the_guarantee_holds_up_to_its_last_day_included(today: date, guaranteed: bool) -> None:
    assert is_guaranteed_c02(covered=True, valid_until=date(2026, 2, 9), today=today) is guaranteed


def test_c02_a_consultation_that_was_not_covered_guarantees_nothing() -> None:
    assert not is_guaranteed_c02(covered=False, valid_until=None, today=date(2026, 1, 1))


def test_c02_reference_numbers_carry_mod_97_check_digits() -> None:
    number = new_reference_number()
    typo = number[:9] + str((int(number[9]) + 1) % 10) + number[10:]

    assert is_well_formed(number)
    assert not is_well_formed(typo)
    assert not is_well_formed(number[:11])


def test_c03_an_operator_reads_any_provider_and_a_provider_only_itself() -> None:
    gp, other = random_gp_riziv(), random_gp_riziv()

    assert audit_provider_scope_c03(is_operator=True, caller="op", provider=other) == other
    assert audit_provider_scope_c03(is_operator=True, caller="op", provider=None) is None
    assert audit_provider_scope_c03(is_operator=False, caller=gp, provider=None) == gp
    with pytest.raises(Forbidden) as refused:
        audit_provider_scope_c03(is_operator=False, caller=gp, provider=other)
    assert refused.value.errors[0].rule == "C-03"


def test_c03_a_caller_without_a_valid_riziv_number_is_not_identified() -> None:
    gp = random_gp_riziv()

    assert identified_provider_c03(str(gp)) == gp
    for subject in ("operator-1", "12345678901", ""):
        with pytest.raises(Forbidden) as refused:
            identified_provider_c03(subject)
        assert refused.value.errors[0].code == "consultation.provider_unidentified"
