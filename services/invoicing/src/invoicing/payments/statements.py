"""A provider's payment statement: its payments, the recoveries each offset, what it owes."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.db import as_utc
from invoicing.payments import recoveries, repository
from invoicing.payments.schemas import (
    OpenRecoveryView,
    PaidInvoiceView,
    ProviderStatement,
    StatementPaymentView,
)
from invoicing.payments.views import payment_view
from servicekit.auth import Principal
from servicekit.errors import Forbidden

ZERO = Decimal("0.00")


async def provider_statement(
    session: AsyncSession, *, provider: str, caller: Principal, offset: int, limit: int
) -> ProviderStatement:
    """A GP reads its own statement, an operator any provider's."""
    if not (caller.is_operator or caller.subject == provider):
        raise Forbidden.for_rule(
            "I-05", "provider.not_caller", "A provider reads only its own payments", field=None
        )
    found = await repository.payments_of(session, provider, offset=offset, limit=limit + 1)
    page = found[:limit]
    references = [payment.payment_reference for payment in page]
    offsets = await recoveries.offsets_of(session, references)
    paid: dict[str, list[PaidInvoiceView]] = {reference: [] for reference in references}
    for part in await repository.invoice_payments_of(session, references):
        paid[part.payment_reference].append(
            PaidInvoiceView(invoice_id=part.invoice_id, amount=part.amount)
        )
    open_ones = await repository.open_recoveries(session, provider)
    return ProviderStatement(
        provider=provider,
        balance_owed=sum((item.outstanding for item in open_ones), ZERO),
        open_recoveries=[
            OpenRecoveryView(
                credit_reference=item.credit_reference,
                invoice_id=item.invoice_id,
                payment_reference=item.payment_reference,
                amount=item.amount,
                outstanding=item.outstanding,
                created_at=as_utc(item.created_at),
            )
            for item in open_ones
        ],
        payments=[
            StatementPaymentView(
                **payment_view(payment, offsets).model_dump(),
                invoices=paid[payment.payment_reference],
            )
            for payment in page
        ],
        next_offset=offset + limit if len(found) > limit else None,
    )
