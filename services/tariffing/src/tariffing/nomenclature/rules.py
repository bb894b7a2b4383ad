"""Nomenclature rules: which tariff applies on a day (T-05), who may charge it (T-06), and what
makes an imported tariff row acceptable. Pure: no session, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from mediprima_contracts.values import RizivNumber
from mediprima_contracts.values.riziv_number import Profession

PROVIDER_TYPES: Final = frozenset(
    {
        "gp",
        "specialist",
        "dentist",
        "pharmacist",
        "nurse",
        "physiotherapist",
        "paramedic",
        "hospital",
    }
)

_BY_PROFESSION: Final = {
    Profession.PHARMACIST: "pharmacist",
    Profession.DENTIST: "dentist",
    Profession.NURSE_OR_MIDWIFE: "nurse",
    Profession.PHYSIOTHERAPIST: "physiotherapist",
    Profession.PARAMEDIC: "paramedic",
}


@dataclass(frozen=True)
class TariffTerms:
    """One code's fee and split for one period of validity."""

    code: str
    valid_from: date
    valid_until: date | None
    fee: Decimal
    reimbursement: Decimal
    reimbursement_preferential: Decimal
    patient_share: Decimal
    provider_types: frozenset[str]

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def tariff_in_force_t05(tariffs: Sequence[TariffTerms], on: date) -> TariffTerms | None:
    """T-05: the tariff valid on the date of care (periods of one code never overlap)."""
    for tariff in tariffs:
        if tariff.in_force_on(on):
            return tariff
    return None


def provider_type(provider: RizivNumber) -> str:
    """The nomenclature's provider type of a RIZIV number (T-06: code allowed for the provider)."""
    if provider.is_hospital:
        return "hospital"
    if provider.is_general_practitioner:
        return "gp"
    if provider.is_doctor:
        return "specialist"
    profession = provider.profession
    return _BY_PROFESSION.get(Profession(profession), "other") if profession else "other"


def periods_overlap(a: TariffTerms, b: TariffTerms) -> bool:
    """Two periods of the same code share a day (an open end runs for ever)."""
    a_end = a.valid_until or date.max
    b_end = b.valid_until or date.max
    return a.code == b.code and a.valid_from <= b_end and b.valid_from <= a_end


def same_terms(a: TariffTerms, b: TariffTerms) -> bool:
    """The same row imported again: skipped, not an overlap."""
    return a == b


@dataclass(frozen=True)
class ImportPlan:
    """What a valid file changes: new periods, open periods it closes, rows already there."""

    new: list[TariffTerms]
    closing: list[TariffTerms]
    skipped: int
    overlaps: list[tuple[TariffTerms, str]]
    """Each refused row with why (T-05: periods of one code never overlap)."""


def plan_import_t05(rows: Sequence[TariffTerms], stored: Sequence[TariffTerms]) -> ImportPlan:
    """Compare a file's rows with the stored periods.

    A row equal to a stored one is skipped (re-importing a file changes nothing); a row that only
    closes a stored open-ended period (same code, start and amounts) closes it, so next year's
    indexation can follow; any other overlap, in the file or with a stored period, is refused.
    """
    by_key = {(tariff.code, tariff.valid_from): tariff for tariff in stored}
    new: list[TariffTerms] = []
    closing: list[TariffTerms] = []
    skipped = 0
    for row in rows:
        existing = by_key.get((row.code, row.valid_from))
        if existing == row:
            skipped += 1
        elif existing is not None and _closes(existing, row):
            closing.append(row)
        else:
            new.append(row)
    closed_keys = {(row.code, row.valid_from) for row in closing}
    kept = [tariff for tariff in stored if (tariff.code, tariff.valid_from) not in closed_keys]
    after = [*kept, *closing]
    overlaps: list[tuple[TariffTerms, str]] = []
    for index, row in enumerate(new):
        if any(periods_overlap(row, other) for other in after):
            overlaps.append((row, "overlaps a stored period of the code"))
        elif any(periods_overlap(row, other) for other in new[:index]):
            overlaps.append((row, "overlaps another row of the file"))
    return ImportPlan(new, closing, skipped, overlaps)


def _closes(existing: TariffTerms, row: TariffTerms) -> bool:
    return (
        existing.valid_until is None
        and row.valid_until is not None
        and existing == TariffTerms(**{**row.__dict__, "valid_until": None})
    )
