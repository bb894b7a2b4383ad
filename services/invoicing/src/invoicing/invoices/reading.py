"""Reading invoices: each with its verdicts, history, payment and credits; only the caller's own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cancellations.models import InvoiceCancellation
from invoicing.db import as_utc
from invoicing.invoices import repository
from invoicing.invoices.criteria import InvoiceCriteria
from invoicing.invoices.models import Invoice, InvoiceCredit, InvoiceStatusChange
from invoicing.invoices.schemas import (
    CancellationRecord,
    CreditView,
    InvoicePage,
    InvoiceSearch,
    InvoiceView,
    LineView,
    PaymentView,
    StatusChangeView,
    Totals,
)
from invoicing.invoices.statuses import LineStatus
from invoicing.payments import repository as payments
from invoicing.payments.models import InvoicePayment
from servicekit.auth import Principal
from servicekit.errors import NotFound, ProblemItem
from servicekit.tenancy import Tenant

ZERO = Decimal("0.00")


async def get_invoice(session: AsyncSession, *, invoice_id: str, caller: Principal) -> InvoiceView:
    """Another provider's invoice is answered exactly like one that does not exist."""
    invoice = await repository.get_with_lines(session, invoice_id, Tenant.of(caller))
    if invoice is None:
        raise NotFound.for_rule("I-01", "invoice.not_found", f"Invoice {invoice_id} not found")
    [view] = await invoice_views(session, [invoice])
    return view


async def list_invoices(
    session: AsyncSession,
    *,
    caller: Principal,
    criteria: InvoiceCriteria,
    offset: int,
    limit: int,
) -> InvoicePage:
    """The caller's invoices (a GP's own, an operator's all) that meet `criteria`, one page."""
    aware = replace(
        criteria,
        submitted_from=_aware(criteria.submitted_from),
        submitted_to=_aware(criteria.submitted_to),
    )
    found = await repository.list_for(
        session, Tenant.of(caller), aware, offset=offset, limit=limit + 1
    )
    items = await invoice_views(session, found[:limit])
    return InvoicePage(items=items, next_offset=offset + limit if len(found) > limit else None)


def search_criteria(search: InvoiceSearch) -> InvoiceCriteria:
    return InvoiceCriteria(
        status=search.status,
        submitted_from=search.submitted_from,
        submitted_to=search.submitted_to,
        provider=search.provider,
        ssin=search.ssin,
        refusal_code=search.refusal_code,
        newest_first=search.order == "newest_first",
    )


async def invoice_views(session: AsyncSession, invoices: list[Invoice]) -> list[InvoiceView]:
    """The views of these invoices, with a fixed number of queries whatever their count."""
    ids = [invoice.invoice_id for invoice in invoices]
    paid = await payments.latest_for_invoices(session, ids)
    histories = await repository.histories(session, ids)
    credits = await repository.credits_of(session, ids)
    cancellations = await repository.cancellations_of(session, ids)
    return [
        _view(
            invoice,
            paid.get(invoice.invoice_id),
            histories[invoice.invoice_id],
            credits[invoice.invoice_id],
            cancellations[invoice.invoice_id],
        )
        for invoice in invoices
    ]


def _view(
    invoice: Invoice,
    payment: InvoicePayment | None,
    history: list[InvoiceStatusChange],
    credits: list[InvoiceCredit],
    cancellations: list[InvoiceCancellation],
) -> InvoiceView:
    accepted = [line for line in invoice.lines if line.status == LineStatus.ACCEPTED]
    return InvoiceView(
        invoice_id=invoice.invoice_id,
        status=invoice.status,
        ssin=invoice.ssin,
        provider=invoice.provider,
        agreement_number=invoice.agreement_number,
        issued_on=invoice.issued_on,
        corrects_invoice_id=invoice.corrects_invoice_id,
        submitted_at=invoice.submitted_at,
        lines=[
            LineView(
                line_number=line.line_number,
                date_of_care=line.date_of_care,
                admission_date=line.admission_date,
                code=line.code,
                amount=line.amount,
                status=line.status,
                reasons=[ProblemItem(**reason) for reason in line.reasons],
                state_share=line.state_share,
                ocmw_share=line.ocmw_share,
                patient_share=line.patient_share,
                health_fund_share=line.health_fund_share,
                certificate_number=line.certificate_number,
                payment_reference=line.payment_reference,
                credit_reference=line.credit_reference,
            )
            for line in invoice.lines
        ],
        totals=Totals(
            amount=sum((line.amount for line in invoice.lines), ZERO),
            state_share=sum((line.state_share or ZERO for line in accepted), ZERO),
            ocmw_share=sum((line.ocmw_share or ZERO for line in accepted), ZERO),
            patient_share=sum((line.patient_share or ZERO for line in accepted), ZERO),
        ),
        payment=(
            PaymentView(
                payment_reference=payment.payment_reference,
                paid_at=payment.paid_at,
                amount=payment.amount,
            )
            if payment
            else None
        ),
        history=[
            StatusChangeView(status=change.status, changed_at=change.changed_at)
            for change in history
        ],
        credits=[
            CreditView(
                credit_reference=credit.credit_reference,
                credited_at=credit.credited_at,
                line_numbers=credit.line_numbers,
                amount=credit.amount,
                payment_reference=credit.payment_reference,
                reason=ProblemItem(**credit.reason),
            )
            for credit in credits
        ],
        cancellations=[
            CancellationRecord(
                cancellation_id=cancellation.cancellation_id,
                line_numbers=cancellation.line_numbers,
                cancelled_at=as_utc(cancellation.cancelled_at),
                reason=ProblemItem(**cancellation.reason),
                replaced_by=cancellation.replaced_by,
            )
            for cancellation in cancellations
        ],
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A bound given without an offset (or as a bare date) is read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
