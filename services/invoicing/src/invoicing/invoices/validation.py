"""Intake checks of one invoice (I-01) that list every bad field at once, never the first only.

Pydantic checks each field's shape; the rules check what spans lines (numbering, dates). Lines are
validated one by one so a bad line does not hide the problems of the others, and a batch can
answer each invoice on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from invoicing.invoices import rules
from invoicing.invoices.schemas import MAX_LINES, InvoiceInput, InvoiceLineInput
from mediprima_contracts.values import BoundedDate, Ssin
from servicekit.errors import ProblemItem


class _InvoiceHeader(BaseModel):
    """Everything but the lines' contents, which are checked line by line."""

    model_config = ConfigDict(extra="forbid")

    ssin: Ssin
    agreement_number: str | None = Field(default=None, pattern=r"^\d{12}$")
    issued_on: BoundedDate | None = None
    corrects_invoice_id: str | None = Field(default=None, min_length=1, max_length=36)
    lines: list[Any] = Field(min_length=1, max_length=MAX_LINES)


def validate_invoice(raw: object, *, today: date) -> tuple[InvoiceInput | None, list[ProblemItem]]:
    """The invoice when it is valid, else every problem found (I-01)."""
    if not isinstance(raw, dict):
        return None, [_problem("invoice.not_an_object", "an invoice is a JSON object", None)]
    problems: list[ProblemItem] = []
    header: _InvoiceHeader | None = None
    try:
        header = _InvoiceHeader.model_validate(raw)
    except ValidationError as error:
        problems += _items(error, prefix=())
    issued_on = header.issued_on if header else _raw_day(raw, "issued_on")
    raw_lines = raw.get("lines")
    if not isinstance(raw_lines, list) or len(raw_lines) > MAX_LINES:
        return None, problems  # already reported; lines past the limit are not worth checking
    lines: list[InvoiceLineInput | None] = []
    for index, raw_line in enumerate(raw_lines):
        try:
            lines.append(InvoiceLineInput.model_validate(raw_line))
        except ValidationError as error:
            problems += _items(error, prefix=("lines", str(index)))
            lines.append(None)
    numbers = [
        line.line_number if line else _raw_number(raw_line)
        for line, raw_line in zip(lines, raw_lines, strict=True)
    ]
    problems += rules.check_line_numbers_i01(numbers)
    dates_of_care = [
        line.date_of_care if line else _raw_day(raw_line, "date_of_care")
        for line, raw_line in zip(lines, raw_lines, strict=True)
    ]
    admissions = [
        line.admission_date if line else _raw_day(raw_line, "admission_date")
        for line, raw_line in zip(lines, raw_lines, strict=True)
    ]
    problems += rules.check_dates_of_care_i01(dates_of_care, today)
    problems += rules.check_admission_dates_i01(list(zip(admissions, dates_of_care, strict=True)))
    problems += rules.check_issue_date_i01(issued_on, dates_of_care, today)
    if problems:
        return None, problems
    return InvoiceInput.model_validate(raw), []


def _raw_number(raw_line: object) -> int | None:
    number = raw_line.get("line_number") if isinstance(raw_line, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _raw_day(raw_line: object, name: str) -> date | None:
    day = raw_line.get(name) if isinstance(raw_line, dict) else None
    try:
        return date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        return None  # already reported as malformed


def _items(error: ValidationError, *, prefix: tuple[str, ...]) -> list[ProblemItem]:
    return [
        _problem(
            str(detail["type"]),
            str(detail["msg"]),
            ".".join((*prefix, *(str(part) for part in detail["loc"]))) or None,
        )
        for detail in error.errors()
    ]


def _problem(code: str, message: str, field: str | None) -> ProblemItem:
    return ProblemItem(rule="I-01", code=code, message=message, field=field)
