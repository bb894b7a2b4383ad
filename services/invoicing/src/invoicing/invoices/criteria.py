"""What an invoice search asks for, as SQL: status, submission dates, provider, person and the
code or rule a line was refused with, all in the database, so a page is exactly what is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.orm import aliased

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.statuses import LineStatus

# A line's reasons are a JSON array of {rule, code, message}; each database spells "for each
# element" its own way. Only bound parameters vary.
_REFUSED_FOR = {
    "sqlite": text(
        "EXISTS (SELECT 1 FROM json_each(invoice_lines.reasons) AS reason"
        " WHERE lower(json_extract(reason.value, '$.code')) LIKE :refusal_like ESCAPE '\\'"
        " OR lower(json_extract(reason.value, '$.rule')) = :refusal_rule)"
    ),
    "postgresql": text(
        "EXISTS (SELECT 1 FROM json_array_elements(invoice_lines.reasons) AS reason(value)"
        " WHERE lower(reason.value ->> 'code') LIKE :refusal_like ESCAPE '\\'"
        " OR lower(reason.value ->> 'rule') = :refusal_rule)"
    ),
}


@dataclass(frozen=True)
class InvoiceCriteria:
    status: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    provider: str | None = None
    ssin: str | None = None
    refusal_code: str | None = None
    newest_first: bool = False

    def where(self, dialect: str) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.status is not None:
            clauses.append(Invoice.status == self.status)
        if self.submitted_from is not None:
            clauses.append(Invoice.submitted_at >= self.submitted_from)
        if self.submitted_to is not None:
            clauses.append(Invoice.submitted_at < self.submitted_to)
        if self.provider is not None:
            clauses.append(Invoice.provider == self.provider)
        if self.ssin is not None:
            clauses.append(_person(self.ssin))
        if self.refusal_code is not None:
            clauses.append(_refused_with(self.refusal_code, dialect))
        return clauses


def _person(ssin: str) -> ColumnElement[bool]:
    """Invoices under this number, and under the person's other numbers (D-08: the registry's
    person id pricing put on the invoices)."""
    same = aliased(Invoice)
    person_ids = select(same.person_id).where(same.ssin == ssin, same.person_id.is_not(None))
    return or_(Invoice.ssin == ssin, Invoice.person_id.in_(person_ids))


def _refused_with(needle: str, dialect: str) -> ColumnElement[bool]:
    """A line refused with a reason whose code holds `needle` (`code.unknown`, `unknown`) or
    whose rule is `needle` (`T-01`), in any case."""
    wanted = needle.strip().lower()
    escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    reason = _REFUSED_FOR["sqlite" if dialect == "sqlite" else "postgresql"].bindparams(
        refusal_like=f"%{escaped}%", refusal_rule=wanted
    )
    refused = select(InvoiceLine.invoice_id).where(
        InvoiceLine.status == LineStatus.REJECTED, reason
    )
    return Invoice.invoice_id.in_(refused)
