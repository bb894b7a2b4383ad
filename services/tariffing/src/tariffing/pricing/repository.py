from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, delete, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.values import Money
from servicekit.money_column import from_cents
from tariffing.pricing.models import OcmwCopaymentPaid, PricedInvoice


async def priced_invoice(session: AsyncSession, invoice_id: str) -> dict[str, Any] | None:
    row = await session.get(PricedInvoice, invoice_id)
    return row.result if row else None


async def keep_priced_invoice(
    session: AsyncSession,
    *,
    invoice_id: str,
    ssin: str,
    person_id: str | None,
    result: dict[str, Any],
    copayments: list[OcmwCopaymentPaid],
) -> None:
    session.add(
        PricedInvoice(
            invoice_id=invoice_id,
            ssin=ssin,
            person_id=person_id,
            result=result,
            priced_at=datetime.now(UTC),
        )
    )
    session.add_all(copayments)
    await session.flush()


async def ocmw_copayments_by_month(
    session: AsyncSession, person_keys: Collection[str]
) -> dict[str, Money]:
    """What the OCMW already paid of this person's patient shares, per month of care."""
    rows = await session.execute(
        select(
            OcmwCopaymentPaid.month,
            func.sum(type_coerce(OcmwCopaymentPaid.amount, BigInteger)),  # whole cents
        )
        .where(OcmwCopaymentPaid.person_key.in_(sorted(person_keys)))
        .group_by(OcmwCopaymentPaid.month)
    )
    return {month: Money(from_cents(cents or 0)) for month, cents in rows}


async def release_copayments(
    session: AsyncSession, *, invoice_id: str, line_numbers: Collection[int]
) -> None:
    await session.execute(
        delete(OcmwCopaymentPaid).where(
            OcmwCopaymentPaid.invoice_id == invoice_id,
            OcmwCopaymentPaid.line_number.in_(sorted(line_numbers)),
        )
    )
