"""C-02 reference numbers and C-03 as pure functions (C-01 and the guarantee are decided in
`mediprima_domain`, tested there)."""

import pytest

from consultation.consultations.rules import audit_provider_scope_c03, identified_provider_c03
from consultation.numbers import is_well_formed, new_reference_number
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.errors import Forbidden


def test_c02_reference_numbers_carry_mod_97_check_digits() -> None:
    number = new_reference_number()
    typo = number[:9] + str((int(number[9]) + 1) % 10) + number[10:]

    assert is_well_formed(number)
    assert not is_well_formed(typo)
    assert not is_well_formed(number[:11])


def test_c03_an_operator_reads_any_provider_and_a_provider_only_itself() -> None:
    gp, other = random_gp_riziv(), random_gp_riziv()

    assert audit_provider_scope_c03(is_provider=False, caller="op", provider=other) == other
    assert audit_provider_scope_c03(is_provider=False, caller="op", provider=None) is None
    assert audit_provider_scope_c03(is_provider=True, caller=gp, provider=None) == gp
    with pytest.raises(Forbidden) as refused:
        audit_provider_scope_c03(is_provider=True, caller=gp, provider=other)
    assert refused.value.errors[0].rule == "C-03"


def test_c03_a_caller_without_a_valid_riziv_number_is_not_identified() -> None:
    gp = random_gp_riziv()

    assert identified_provider_c03(str(gp)) == gp
    for subject in ("operator-1", "12345678901", ""):
        with pytest.raises(Forbidden) as refused:
            identified_provider_c03(subject)
        assert refused.value.errors[0].code == "consultation.provider_unidentified"
