"""C-03 who may consult, as a pure function."""

import pytest

from consultation.consultations.rules import check_may_consult_c03
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_riziv,
)
from mediprima_contracts.values import Profession, RizivNumber
from servicekit.errors import Forbidden


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
