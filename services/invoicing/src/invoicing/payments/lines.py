"""A line as paid (and as credited: a credit takes back exactly what was paid), and what it owes."""

from __future__ import annotations

from decimal import Decimal

from invoicing.invoices.models import InvoiceLine
from invoicing.invoices.rules import amount_owed_i05
from invoicing.invoices.statuses import LineStatus
from mediprima_contracts.components import PaidLine
from mediprima_contracts.values import Money

ZERO = Decimal("0.00")


def owed_for(lines: list[InvoiceLine]) -> Money:
    """I-05: what the provider is owed for these lines (their state and OCMW shares)."""
    return Money(
        amount_owed_i05((_share(line.state_share), _share(line.ocmw_share)) for line in lines)
    )


def unpaid(line: InvoiceLine) -> bool:
    return line.status == LineStatus.ACCEPTED and line.payment_reference is None


def paid_line(line: InvoiceLine) -> PaidLine:
    return PaidLine(
        line_number=line.line_number,
        date_of_care=line.date_of_care,
        code=line.code,
        state_share=_share(line.state_share),
        ocmw_share=_share(line.ocmw_share),
        patient_share=_share(line.patient_share),
        decision_number=line.decision_number,
        version=line.version,
        ocmw=line.ocmw,
        urgent_medical_aid=line.urgent_medical_aid,
        certificate_number=line.certificate_number,
    )


def _share(amount: Decimal | None) -> Decimal:
    return amount if amount is not None else ZERO
