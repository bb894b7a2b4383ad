from __future__ import annotations

from datetime import date

import pytest

from mediprima_contracts.testing import error_code
from mediprima_contracts.values import NisCode, NomenclatureCode, Period, YearMonth


def test_a_nis_code_has_five_digits_starting_1_to_9() -> None:
    assert NisCode("44021") == "44021"


@pytest.mark.parametrize("raw", ["04021", "4402", "440211", "4402a"])
def test_a_malformed_nis_code_is_refused(raw: str) -> None:
    assert error_code(lambda: NisCode(raw)) == "nis_code.format"


def test_a_nomenclature_code_keeps_its_leading_zeros() -> None:
    assert NomenclatureCode("010076") == "010076"
    assert error_code(lambda: NomenclatureCode("10107")) == "nomenclature_code.format"


@pytest.mark.parametrize("raw", ["2025-13", "2025-1", "25-01", "2025/01"])
def test_a_malformed_month_is_refused(raw: str) -> None:
    assert error_code(lambda: YearMonth(raw)) == "year_month.format"


def test_a_month_knows_its_days() -> None:
    month = YearMonth("2024-02")
    assert (month.year, month.month) == (2024, 2)
    assert month.period == Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert month.contains(date(2024, 2, 29))
    assert not month.contains(date(2024, 3, 1))
    assert YearMonth.containing(date(2025, 11, 30)) == "2025-11"
