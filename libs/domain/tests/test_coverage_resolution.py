"""The one coverage answer (C-01, T-06): each rule it applies, by its id."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediprima_contracts.components import CareType
from mediprima_domain.coverage import CareQuestion, DecisionHistory, VersionRef, resolve_coverage

from .builders import NEW_NUMBER, OCMW_A, OCMW_B, PERSON, PERSON_ID, cover, version

GP = CareType.GENERAL_MEDICINE
JAN_1, JUN_1, JUN_15 = date(2026, 1, 1), date(2026, 6, 1), date(2026, 6, 15)


def ask(*versions, on: date, care_type=GP, ssin: str = PERSON, **question):  # type: ignore[no-untyped-def]
    return resolve_coverage(
        DecisionHistory(versions), CareQuestion(ssin=ssin, on=on, care_type=care_type, **question)
    )


def test_c01_an_unknown_person_is_answered_not_covered() -> None:
    answer = resolve_coverage(DecisionHistory([]), CareQuestion(ssin=PERSON, on=JUN_1))
    assert not answer.covered
    assert (answer.refusal.rule, answer.refusal.code) == ("C-01", "decision.none")


def test_c01_the_decision_in_force_names_its_ocmw_version_and_cover() -> None:
    answer = ask(version(), on=JUN_1)
    assert answer.covered
    assert answer.decision is not None
    assert answer.decision.version == 1
    assert answer.ocmw is not None
    assert answer.ocmw.enterprise_number == OCMW_A
    assert answer.cover is not None
    assert answer.cover.care_type == GP
    assert answer.person_id == PERSON_ID


def test_c01_outside_the_period_no_decision_is_in_force() -> None:
    answer = ask(version(end=date(2026, 3, 31)), on=JUN_1)
    assert answer.refusal is not None
    assert answer.refusal.code == "decision.not_in_force"
    assert answer.decision is None


def test_c01_an_absent_or_inactive_cover_is_said() -> None:
    hospital_only = version(covers=[cover("hospitalisation"), cover("ambulatory_in_hospital")])
    absent = ask(hospital_only, on=JUN_1)
    assert absent.refusal is not None
    assert absent.refusal.code == "cover.absent"
    short = version(covers=[cover(end=date(2026, 2, 28))])
    inactive = ask(short, on=JUN_1)
    assert inactive.refusal is not None
    assert inactive.refusal.code == "cover.not_active"


def test_c01_without_a_care_type_every_cover_in_force_is_listed() -> None:
    both = version(covers=[cover(), cover("paramedical", end=date(2026, 3, 31))])
    answer = ask(both, on=date(2026, 2, 1), care_type=None)
    assert {item.care_type for item in answer.covers} == {"general_medicine", "paramedical"}


def test_d02_a_principle_decision_covers_nothing() -> None:
    answer = ask(version(covers=[]), on=JUN_1)
    assert answer.refusal is not None
    assert (answer.refusal.rule, answer.refusal.code) == ("D-02", "decision.principle")


def test_d03_a_narrowing_applies_from_the_day_it_was_filed_only() -> None:
    # Filed on 15 June: the patient share is no longer paid (a narrowing) and the cover starts
    # a month earlier (a widening). Before 15 June the OCMW still pays the patient share.
    first = version(start=date(2026, 2, 1), covers=[cover(start=date(2026, 2, 1))])
    change = version(
        version=2,
        start=JAN_1,
        covers=[cover(start=JAN_1, patient_share="NOTHING")],
        effective_from=JAN_1,
        narrowing_from=JUN_15,
        change_kind="replaced",
    )
    before = ask(first, change, on=date(2026, 3, 1))
    after = ask(first, change, on=JUN_15)
    widened = ask(first, change, on=date(2026, 1, 10))
    assert before.decision is not None
    assert before.decision.version == 1
    assert before.cover is not None
    assert before.cover.ocmw_pays.patient_share == "FULL"
    assert after.decision is not None
    assert after.decision.version == 2
    assert after.cover is not None
    assert after.cover.ocmw_pays.patient_share == "NOTHING"
    assert widened.covered
    assert widened.decision is not None
    assert widened.decision.version == 2


def test_d03_a_later_widening_never_undoes_an_earlier_right_in_the_past() -> None:
    full = version()
    narrowed = version(
        version=2,
        covers=[cover(patient_share="NOTHING")],
        effective_from=JUN_1,
        narrowing_from=JUN_1,
        change_kind="replaced",
    )
    widened_back = version(
        version=3,
        start=date(2025, 12, 1),
        covers=[cover(start=date(2025, 12, 1), patient_share="NOTHING")],
        effective_from=date(2025, 12, 1),
        narrowing_from=JUN_15,
        change_kind="replaced",
    )
    in_march = ask(full, narrowed, widened_back, on=date(2026, 3, 1))
    assert in_march.cover is not None
    assert in_march.cover.ocmw_pays.patient_share == "FULL"
    in_december = ask(full, narrowed, widened_back, on=date(2025, 12, 5))
    assert in_december.covered
    assert in_december.decision is not None
    assert in_december.decision.version == 3


def test_d07_care_is_covered_up_to_five_days_after_the_death_and_no_later() -> None:
    death = date(2026, 5, 1)
    died = version(version=2, death_date=death, effective_from=death, change_kind="mutation")
    assert ask(version(), died, on=death + timedelta(days=5)).covered
    late = ask(version(), died, on=death + timedelta(days=6))
    assert late.refusal is not None
    assert (late.refusal.rule, late.refusal.code) == ("D-07", "person.deceased")


def test_d08_a_mutation_suspends_from_its_own_date_and_reactivation_restores_the_gap() -> None:
    mutation_day, reactivated_on = date(2026, 4, 1), date(2026, 5, 10)
    suspended = version(
        version=2,
        status="suspended",
        effective_from=mutation_day,
        narrowing_from=mutation_day,
        change_kind="mutation",
        pending_ssin=NEW_NUMBER,
    )
    in_gap = ask(version(), suspended, on=date(2026, 4, 20))
    assert in_gap.refusal is not None
    assert (in_gap.refusal.rule, in_gap.refusal.code) == ("D-08", "decision.suspended")
    assert ask(version(), suspended, on=date(2026, 3, 31)).covered
    reactivated = version(
        version=3,
        ssin=NEW_NUMBER,
        replaced_ssins=[PERSON],
        effective_from=mutation_day,
        narrowing_from=reactivated_on,
        change_kind="reactivated",
    )
    restored = ask(version(), suspended, reactivated, on=date(2026, 4, 20), ssin=NEW_NUMBER)
    assert restored.covered
    assert restored.decision is not None
    assert restored.decision.version == 3


def test_d08_a_stopped_decision_covers_up_to_its_stop_date() -> None:
    stop = date(2026, 6, 30)
    stopped = version(
        version=2,
        status="stopped",
        end=stop,
        covers=[cover(end=stop)],
        effective_from=stop + timedelta(days=1),
        change_kind="stopped",
    )
    assert ask(version(), stopped, on=stop).covered
    after = ask(version(), stopped, on=stop + timedelta(days=1))
    assert after.refusal is not None
    assert after.refusal.code == "decision.stopped"


def test_d14_two_overlapping_ocmws_get_one_answer_whatever_the_order() -> None:
    older = version("100000000001", start=JAN_1, ocmw=OCMW_A)
    newer = version("100000000002", start=date(2026, 3, 1), ocmw=OCMW_B)
    answers = {
        ask(*pair, on=JUN_1).ocmw.enterprise_number  # type: ignore[union-attr]
        for pair in ((older, newer), (newer, older))
    }
    assert answers == {OCMW_B}


def test_d14_a_handed_over_file_charges_the_new_owner_from_acceptance() -> None:
    accepted = date(2026, 5, 1)
    handed = version(version=2, ocmw=OCMW_B, effective_from=accepted, change_kind="handed_over")
    before = ask(version(), handed, on=date(2026, 4, 30))
    after = ask(version(), handed, on=accepted)
    assert before.ocmw is not None
    assert before.ocmw.enterprise_number == OCMW_A
    assert after.ocmw is not None
    assert after.ocmw.enterprise_number == OCMW_B


def test_d14_a_hospital_stay_stays_with_the_ocmw_competent_at_admission() -> None:
    accepted = date(2026, 5, 1)
    stay = [cover("hospitalisation"), cover("ambulatory_in_hospital")]
    first = version(covers=stay)
    handed = version(
        version=2, covers=stay, ocmw=OCMW_B, effective_from=accepted, change_kind="handed_over"
    )
    during_stay = ask(
        first,
        handed,
        on=date(2026, 5, 3),
        care_type=CareType.HOSPITALISATION,
        admission_date=date(2026, 4, 28),
    )
    assert during_stay.covered
    assert during_stay.ocmw is not None
    assert during_stay.ocmw.enterprise_number == OCMW_A


def test_c02_the_consulted_version_pays_after_a_narrowing() -> None:
    narrowed = version(
        version=2,
        covers=[cover(patient_share="NOTHING")],
        effective_from=JUN_1,
        narrowing_from=JUN_1,
        change_kind="replaced",
    )
    consulted = VersionRef(version().decision_number, 1)
    answer = ask(version(), narrowed, on=JUN_15, consulted=consulted)
    assert answer.guaranteed
    assert answer.decision is not None
    assert answer.decision.version == 1
    unguaranteed = ask(version(), narrowed, on=JUN_15)
    assert unguaranteed.decision is not None
    assert unguaranteed.decision.version == 2


def test_c02_a_wider_current_version_wins_over_the_consulted_one() -> None:
    consulted_first = version(covers=[cover(patient_share="NOTHING")])
    widened = version(version=2, effective_from=JUN_1, narrowing_from=JUN_1, change_kind="replaced")
    answer = ask(consulted_first, widened, on=JUN_15, consulted=VersionRef("100000000001", 1))
    assert not answer.guaranteed
    assert answer.decision is not None
    assert answer.decision.version == 2


def test_i05b_care_billed_under_a_replaced_number_is_refused() -> None:
    renumbered = version(
        version=2, ssin=NEW_NUMBER, replaced_ssins=[PERSON], change_kind="reactivated"
    )
    old = ask(version(), renumbered, on=JUN_1, ssin=PERSON)
    assert old.refusal is not None
    assert (old.refusal.rule, old.refusal.code) == ("I-05b", "beneficiary.number_replaced")
    assert old.person_id == PERSON_ID
    assert ask(version(), renumbered, on=JUN_1, ssin=NEW_NUMBER).covered


def test_i05b_a_guarantee_given_under_the_old_number_still_holds() -> None:
    renumbered = version(
        version=2, ssin=NEW_NUMBER, replaced_ssins=[PERSON], change_kind="reactivated"
    )
    answer = ask(
        version(), renumbered, on=JUN_1, ssin=PERSON, consulted=VersionRef("100000000001", 1)
    )
    assert answer.covered
    assert answer.guaranteed


def test_t06_a_closed_provider_list_pays_only_its_providers() -> None:
    listed = version(covers=[cover(providers=["12345625004"])])
    assert ask(listed, on=JUN_1, provider="12345625004").covered
    other = ask(listed, on=JUN_1, provider="10000000003")
    assert other.refusal is not None
    assert (other.refusal.rule, other.refusal.code) == ("T-06", "provider.not_in_list")


@given(seed=st.integers(0, 10_000), day=st.integers(0, 364))
def test_c01_the_answer_does_not_depend_on_arrival_order_or_repeats(seed: int, day: int) -> None:
    history = [
        version(),
        version(
            version=2,
            covers=[cover(patient_share="NOTHING")],
            effective_from=JUN_1,
            narrowing_from=JUN_1,
            change_kind="replaced",
        ),
        version(
            version=3,
            status="suspended",
            effective_from=date(2026, 9, 1),
            narrowing_from=date(2026, 9, 1),
            change_kind="mutation",
        ),
    ]
    shuffled = history * 2
    random.Random(seed).shuffle(shuffled)
    on = JAN_1 + timedelta(days=day)
    assert ask(*shuffled, on=on) == ask(*history, on=on)


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        (date(2025, 12, 31), False),
        (JAN_1, True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_c01_both_ends_of_the_period_are_covered_and_no_day_more(day: date, covered: bool) -> None:
    assert ask(version(), on=day).covered is covered


def test_c01_the_active_decision_answers_when_an_old_one_was_stopped() -> None:
    old_stop = date(2026, 3, 31)
    old = version("100000000001", end=old_stop, covers=[cover(end=old_stop)])
    stopped = version(
        "100000000001",
        2,
        status="stopped",
        end=old_stop,
        covers=[cover(end=old_stop)],
        effective_from=old_stop + timedelta(days=1),
        change_kind="stopped",
    )
    new = version("100000000002", start=date(2026, 4, 1), covers=[cover(start=date(2026, 4, 1))])
    answer = ask(old, stopped, new, on=JUN_1)
    assert answer.covered
    assert answer.decision is not None
    assert answer.decision.decision_number == "100000000002"


def test_c04_urgent_aid_needs_a_certificate_and_other_care_does_not() -> None:
    assert ask(version(urgent_medical_aid=True), on=JUN_1).certificate_required
    assert not ask(version(), on=JUN_1).certificate_required
    assert not ask(version(urgent_medical_aid=True, covers=[]), on=JUN_1).certificate_required


def test_d08_a_reactivation_restores_the_suspended_days_as_they_were() -> None:
    # Filed 1 June: the patient share is no longer paid from then on. A mutation dated 1 April,
    # reported later, suspended the card; reactivating restores April and May as they were.
    narrowed = version(
        version=2,
        covers=[cover(patient_share="NOTHING")],
        effective_from=JUN_1,
        narrowing_from=JUN_1,
        change_kind="replaced",
    )
    suspended = version(
        version=3,
        status="suspended",
        covers=[cover(patient_share="NOTHING")],
        effective_from=date(2026, 4, 1),
        narrowing_from=date(2026, 4, 1),
        change_kind="mutation",
    )
    reactivated = version(
        version=4,
        covers=[cover(patient_share="NOTHING")],
        effective_from=date(2026, 4, 1),
        narrowing_from=JUN_15,
        change_kind="reactivated",
    )
    history = (version(), narrowed, suspended, reactivated)
    in_april = ask(*history, on=date(2026, 4, 20))
    in_june = ask(*history, on=JUN_15)
    assert in_april.cover is not None
    assert in_april.cover.ocmw_pays.patient_share == "FULL"
    assert in_june.cover is not None
    assert in_june.cover.ocmw_pays.patient_share == "NOTHING"
    assert not ask(*history[:3], on=date(2026, 4, 20)).covered
