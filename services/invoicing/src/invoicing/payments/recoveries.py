"""Recoveries (I-05): a credit of paid lines is owed back by the provider and offset against its
next payments, oldest first, until nothing is owed; the balance is carried, never lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.payments import repository
from invoicing.payments.models import Recovery, RecoveryOffset
from invoicing.payments.rules import offset_recoveries_i05
from invoicing.payments.schemas import RecoveryOffsetView

ZERO = Decimal("0.00")
OffsetRow = repository.OffsetRow


def open_recovery(
    session: AsyncSession,
    *,
    credit_reference: str,
    provider: str,
    invoice_id: str,
    payment_reference: str,
    amount: Decimal,
    now: datetime,
) -> None:
    """The provider owes back what it was paid for lines credited after payment."""
    session.add(
        Recovery(
            credit_reference=credit_reference,
            provider=provider,
            invoice_id=invoice_id,
            payment_reference=payment_reference,
            amount=amount,
            outstanding=amount,
            created_at=now,
        )
    )


async def offset_from_payment(
    session: AsyncSession, *, provider: str, payment_reference: str, owed: Decimal
) -> tuple[Decimal, Decimal]:
    """Take back from this payment what the provider owes (locked rows, so a racing run waits
    and then sees them offset); (recovered, balance still owed after it)."""
    open_ones = await repository.outstanding_recoveries(session, provider)
    offsets = offset_recoveries_i05(
        owed=owed, recoveries=[(item.credit_reference, item.outstanding) for item in open_ones]
    )
    by_reference = {item.credit_reference: item for item in open_ones}
    for offset in offsets:
        by_reference[offset.credit_reference].outstanding -= offset.amount
        session.add(
            RecoveryOffset(
                payment_reference=payment_reference,
                credit_reference=offset.credit_reference,
                amount=offset.amount,
            )
        )
    recovered = sum((offset.amount for offset in offsets), ZERO)
    balance = sum((item.outstanding for item in open_ones), ZERO)
    return recovered, balance


async def offsets_of(
    session: AsyncSession, payment_references: Sequence[str]
) -> dict[str, list[OffsetRow]]:
    found: dict[str, list[OffsetRow]] = {}
    for row in await repository.offsets_of(session, payment_references):
        found.setdefault(row.payment_reference, []).append(row)
    return found


def offset_views(rows: list[OffsetRow]) -> list[RecoveryOffsetView]:
    return [
        RecoveryOffsetView(
            credit_reference=row.credit_reference, invoice_id=row.invoice_id, amount=row.amount
        )
        for row in rows
    ]
