"""C-04 as pure functions."""

from datetime import date, timedelta

import pytest

from consultation.certificates.rules import (
    check_author_c04,
    check_may_certify_c04,
    check_period_c04,
    check_validity_c04,
    identified_certifier_c04,
    urgent_aid_cover_c04,
)
from mediprima_contracts.components import CareType
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_riziv,
)
from mediprima_contracts.values import Period, Profession, RizivNumber
from mediprima_domain.coverage import CareQuestion, DecisionHistory, resolve_coverage
from servicekit.errors import Forbidden, Unprocessable


@pytest.mark.parametrize("provider", [random_gp_riziv(), random_dentist_riziv()])
def test_c04_doctors_and_dentists_may_certify(provider: RizivNumber) -> None:
    check_may_certify_c04(is_doctor=provider.is_doctor, is_dentist=provider.is_dentist)


@pytest.mark.parametrize(
    "provider",
    [random_hospital_number(), random_riziv(profession=Profession.PHYSIOTHERAPIST)],
)
def test_c04_other_providers_may_not_certify(provider: RizivNumber) -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_certify_c04(is_doctor=provider.is_doctor, is_dentist=provider.is_dentist)

    assert refused.value.errors[0].rule == "C-04"


def test_c04_the_validity_ends_after_it_starts() -> None:
    assert check_validity_c04(valid_from=date(2025, 1, 1), valid_until=date(2025, 1, 1)) == Period(
        start=date(2025, 1, 1), end=date(2025, 1, 1)
    )
    with pytest.raises(Unprocessable) as refused:
        check_validity_c04(valid_from=date(2025, 1, 2), valid_until=date(2025, 1, 1))

    assert refused.value.errors[0].field == "valid_until"
    assert refused.value.errors[0].code == "certificate.period_order"


def test_c04_the_validity_is_bounded() -> None:
    with pytest.raises(Unprocessable) as refused:
        check_validity_c04(valid_from=date(2025, 1, 1), valid_until=None)

    problem = refused.value.errors[0]
    assert (problem.rule, problem.code, problem.field) == (
        "C-04",
        "certificate.unbounded",
        "valid_until",
    )


def period(start: str, end: str) -> Period:
    return Period(start=date.fromisoformat(start), end=date.fromisoformat(end))


def test_c04_with_an_urgent_aid_cover_the_certificate_lies_within_it() -> None:
    cover = period("2025-01-01", "2025-06-30")

    check_period_c04(period("2025-01-01", "2025-06-30"), cover)  # six months: the cover says so
    with pytest.raises(Unprocessable) as refused:
        check_period_c04(period("2025-03-01", "2025-07-01"), cover)

    assert (refused.value.errors[0].rule, refused.value.errors[0].code) == (
        "C-04",
        "certificate.beyond_cover",
    )


@pytest.mark.parametrize(
    ("start", "longest"),
    [("2025-02-01", "2025-04-30"), ("2025-01-31", "2025-04-29"), ("2025-11-30", "2026-02-27")],
)
def test_c04_without_a_cover_yet_a_certificate_runs_at_most_3_months(
    start: str, longest: str
) -> None:
    last = date.fromisoformat(longest)

    check_period_c04(period(start, longest), None)
    with pytest.raises(Unprocessable) as refused:
        check_period_c04(
            Period(start=date.fromisoformat(start), end=last + timedelta(days=1)), None
        )

    assert refused.value.errors[0].code == "certificate.too_long"


def test_c04_three_months_from_the_end_of_the_calendar_is_every_day_left() -> None:
    check_period_c04(period("9999-12-01", "9999-12-31"), None)


def test_c04_only_an_urgent_aid_cover_of_that_care_type_bounds_a_certificate() -> None:
    urgent_aid = example_decision_version_published()  # urgent medical aid, GP care Jan-Mar 2025
    regular = example_decision_version_published(urgent_medical_aid=False)
    on = date(2025, 2, 1)

    def cover_from(decision: DecisionVersionPublished, care_type: CareType) -> Period | None:
        answer = resolve_coverage(
            DecisionHistory([decision]),
            CareQuestion(ssin=decision.ssin, on=on, care_type=care_type),
        )
        return urgent_aid_cover_c04(answer, care_type)

    assert cover_from(urgent_aid, CareType.GENERAL_MEDICINE) == period("2025-01-01", "2025-03-31")
    assert cover_from(regular, CareType.GENERAL_MEDICINE) is None
    assert cover_from(urgent_aid, CareType.PARAMEDICAL) is None


def test_c04_only_the_author_withdraws() -> None:
    author = random_gp_riziv()

    check_author_c04(author=author, caller=author)
    with pytest.raises(Forbidden):
        check_author_c04(author=author, caller=random_gp_riziv())


def test_c04_a_caller_without_a_valid_riziv_number_may_not_certify() -> None:
    with pytest.raises(Forbidden) as refused:
        identified_certifier_c04("not-a-provider")

    assert refused.value.errors[0].rule == "C-04"
