"""C-04 as pure functions."""

from datetime import date

import pytest

from consultation.certificates.rules import (
    check_author_c04,
    check_may_certify_c04,
    check_validity_c04,
    identified_certifier_c04,
)
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_riziv,
)
from mediprima_contracts.values import Profession, RizivNumber
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
    check_validity_c04(valid_from=date(2025, 1, 1), valid_until=date(2025, 1, 1))
    check_validity_c04(valid_from=date(2025, 1, 1), valid_until=None)
    with pytest.raises(Unprocessable) as refused:
        check_validity_c04(valid_from=date(2025, 1, 2), valid_until=date(2025, 1, 1))

    assert refused.value.errors[0].field == "valid_until"


def test_c04_only_the_author_withdraws() -> None:
    author = random_gp_riziv()

    check_author_c04(author=author, caller=author)
    with pytest.raises(Forbidden):
        check_author_c04(author=author, caller=random_gp_riziv())


def test_c04_a_caller_without_a_valid_riziv_number_may_not_certify() -> None:
    with pytest.raises(Forbidden) as refused:
        identified_certifier_c04("not-a-provider")

    assert refused.value.errors[0].rule == "C-04"
