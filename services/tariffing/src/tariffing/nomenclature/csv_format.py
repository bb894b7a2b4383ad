"""The tariff CSV format (operator import and the bundled sample file), parsed row by row.

Columns: code, valid_from, valid_until, fee, reimbursement, reimbursement_preferential,
patient_share, provider_types, description. Dates ISO; `valid_until` empty = open-ended; money
with a dot and at most two decimals; `provider_types` separated by `|`. Lines starting with `#`
are comments (the sample file says there that it is sample data).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from servicekit.errors import ProblemItem
from tariffing.nomenclature.rules import PROVIDER_TYPES, TariffTerms

COLUMNS = (
    "code",
    "valid_from",
    "valid_until",
    "fee",
    "reimbursement",
    "reimbursement_preferential",
    "patient_share",
    "provider_types",
    "description",
)
_CODE = re.compile(r"^\d{6}$")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class TariffRow:
    row: int
    terms: TariffTerms
    description: str


class _RowErrors:
    def __init__(self, row: int) -> None:
        self.row = row
        self.items: list[ProblemItem] = []

    def add(self, rule: str, code: str, message: str, column: str) -> None:
        self.items.append(
            ProblemItem(
                rule=rule,
                code=code,
                message=f"row {self.row}: {message}",
                field=f"rows.{self.row}.{column}",
            )
        )


def parse_tariff_csv(text: str) -> tuple[list[TariffRow], list[ProblemItem]]:
    """Every valid row, and every problem of every invalid row (row = line in the file)."""
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return [], [_file_problem("tariff.empty", "The file holds no tariff rows")]
    header_number, header_line = numbered[0]
    header_values = _fields(header_number, header_line)
    if isinstance(header_values, ProblemItem):
        return [], [header_values]
    header = [column.strip() for column in header_values]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [_file_problem("tariff.columns", f"Missing columns: {', '.join(missing)}")]
    rows: list[TariffRow] = []
    problems: list[ProblemItem] = []
    for number, line in numbered[1:]:
        values = _fields(number, line)
        if isinstance(values, ProblemItem):
            problems.append(values)
            continue
        parsed = _parse_row(
            number, dict(zip(header, (value.strip() for value in values), strict=False))
        )
        if isinstance(parsed, TariffRow):
            rows.append(parsed)
        else:
            problems.extend(parsed)
    if not rows and not problems:
        problems.append(_file_problem("tariff.empty", "The file holds no tariff rows"))
    return rows, problems


def _fields(number: int, line: str) -> list[str] | ProblemItem:
    """One line's fields; a line is one row, so a quote left open or a field longer than the
    CSV reader takes (128 KiB) is that row's problem, not the server's."""
    try:
        return next(csv.reader([line], strict=True))
    except (csv.Error, StopIteration) as exc:
        return ProblemItem(
            rule="T-05",
            code="tariff.malformed_row",
            message=f"row {number}: not a CSV row ({exc})",
            field=f"rows.{number}",
        )


def _parse_row(number: int, row: dict[str, str]) -> TariffRow | list[ProblemItem]:
    errors = _RowErrors(number)
    code = row.get("code", "")
    if not _CODE.match(code):
        errors.add("T-01", "tariff.code_format", "a nomenclature code has 6 digits", "code")
    valid_from = _date(errors, row, "valid_from", required=True)
    valid_until = _date(errors, row, "valid_until", required=False)
    if valid_from and valid_until and valid_until < valid_from:
        errors.add("T-05", "tariff.period_order", "valid_until precedes valid_from", "valid_until")
    amounts = {
        column: _money(errors, row, column)
        for column in ("fee", "reimbursement", "reimbursement_preferential", "patient_share")
    }
    fee, reimbursement = amounts["fee"], amounts["reimbursement"]
    preferential, patient_share = amounts["reimbursement_preferential"], amounts["patient_share"]
    parts = (reimbursement, patient_share)
    if fee is not None and None not in parts and sum(filter(None, parts), Decimal(0)) != fee:
        errors.add(
            "T-02", "tariff.parts_mismatch", "reimbursement + patient_share must equal fee", "fee"
        )
    if fee is not None and preferential is not None and preferential > fee:
        errors.add(
            "T-02",
            "tariff.preferential_above_fee",
            "the preferential reimbursement exceeds the fee",
            "reimbursement_preferential",
        )
    types = frozenset(
        part.strip() for part in row.get("provider_types", "").split("|") if part.strip()
    )
    if not types or not types <= PROVIDER_TYPES:
        errors.add(
            "T-06",
            "tariff.provider_type_unknown",
            f"provider_types are some of {', '.join(sorted(PROVIDER_TYPES))}",
            "provider_types",
        )
    description = row.get("description", "")
    if not description or len(description) > 300:
        errors.add("T-01", "tariff.description", "a description of 1-300 characters", "description")
    if (
        errors.items
        or valid_from is None
        or fee is None
        or reimbursement is None
        or preferential is None
        or patient_share is None
    ):
        return errors.items
    terms = TariffTerms(
        code=code,
        valid_from=valid_from,
        valid_until=valid_until,
        fee=fee,
        reimbursement=reimbursement,
        reimbursement_preferential=preferential,
        patient_share=patient_share,
        provider_types=types,
    )
    return TariffRow(number, terms, description)


def _date(errors: _RowErrors, row: dict[str, str], column: str, *, required: bool) -> date | None:
    value = row.get(column, "")
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add("T-05", "tariff.date_format", f"{column} is a date YYYY-MM-DD", column)
        return None


def _money(errors: _RowErrors, row: dict[str, str], column: str) -> Decimal | None:
    try:
        amount = Decimal(row.get(column, ""))
        # quantize refuses an exponent past the context's precision (`1e999999999`)
        exact = amount.is_finite() and amount == amount.quantize(_CENT)
    except InvalidOperation:
        exact = False
    if not exact or amount < 0:
        errors.add(
            "T-01",
            "tariff.amount_format",
            f"{column} is an amount like 30.00, not negative",
            column,
        )
        return None
    return amount.quantize(_CENT)


def _file_problem(code: str, message: str) -> ProblemItem:
    return ProblemItem(rule="T-05", code=code, message=message, field="file")
