"""C-01 period ends, C-02 guarantee length and C-03 who may consult, as pure functions."""

from datetime import date

import pytest

from consultation.consultations.rules import (
    agreement_valid_until_c02,
    answer_coverage_c01,
    check_may_consult_c03,
)
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_riziv,
)
from mediprima_contracts.values import Profession, RizivNumber
from servicekit.errors import Forbidden


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        (date(2024, 12, 31), False),
        (date(2025, 1, 1), True),
        (date(2025, 3, 31), True),
        (date(2025, 4, 1), False),
    ],
)
def test_c01_both_ends_of_the_period_are_covered_and_no_day_more(day: date, covered: bool) -> None:
    decision = example_decision_version_published()

    answer = answer_coverage_c01([decision], on=day, care_type=None, ssin=decision.ssin)

    assert answer.covered is covered


@pytest.mark.parametrize(
    ("consulted_on", "last_day"),
    [
        (date(2026, 1, 10), date(2026, 2, 9)),
        (date(2028, 2, 15), date(2028, 3, 16)),
        (date(2026, 12, 15), date(2027, 1, 14)),
    ],
)
def test_c02_the_agreement_runs_thirty_days_from_the_consultation(
    consulted_on: date, last_day: date
) -> None:
    assert agreement_valid_until_c02(consulted_on) == last_day


@pytest.mark.parametrize(
    "provider",
    [random_gp_riziv(), random_riziv(profession=Profession.DOCTOR), random_hospital_number()],
)
def test_c03_doctors_and_hospitals_may_consult(provider: RizivNumber) -> None:
    check_may_consult_c03(is_doctor=provider.is_doctor, is_hospital=provider.is_hospital)


@pytest.mark.parametrize(
    "provider",
    [
        random_dentist_riziv(),
        random_riziv(profession=Profession.PHARMACIST),
        random_riziv(profession=Profession.PHYSIOTHERAPIST),
    ],
)
def test_c03_other_providers_may_not_consult(provider: RizivNumber) -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_consult_c03(is_doctor=provider.is_doctor, is_hospital=provider.is_hospital)

    assert refused.value.status == 403
    assert refused.value.errors[0].rule == "C-03"
    assert refused.value.errors[0].code == "consultation.provider_not_allowed"
