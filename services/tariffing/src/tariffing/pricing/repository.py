from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, bindparam, delete, func, insert, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.values import Money
from servicekit import statements
from servicekit.db import table_of
from servicekit.money_column import from_cents
from tariffing.pricing.models import OcmwCopaymentPaid, PricedInvoice

_PRICED = table_of(PricedInvoice)
_COPAYMENTS = table_of(OcmwCopaymentPaid)
_KEEP_PRICED = insert(_PRICED)
_KEEP_COPAYMENTS = insert(_COPAYMENTS)
_RESULT_OF = select(_PRICED.c.result).where(_PRICED.c.invoice_id == bindparam("invoice_id"))
_PAID_BY_MONTH = (
    select(
        _COPAYMENTS.c.month,
        func.sum(type_coerce(_COPAYMENTS.c.amount, BigInteger)),  # whole cents
    )
    .where(_COPAYMENTS.c.person_key.in_(bindparam("person_keys", expanding=True)))
    .group_by(_COPAYMENTS.c.month)
)


@dataclass(frozen=True)
class Copayment:
    """What the OCMW pays of the patient share on one accepted line of an invoice (T-03)."""

    line_number: int
    month: str
    amount: Money


async def priced_invoice(session: AsyncSession, invoice_id: str) -> dict[str, Any] | None:
    result: dict[str, Any] | None = (
        await statements.run(session, _RESULT_OF, {"invoice_id": invoice_id})
    ).scalar()
    return result


async def keep_priced_invoice(
    session: AsyncSession,
    *,
    invoice_id: str,
    ssin: str,
    person_id: str | None,
    person_key: str,
    result: dict[str, Any],
    copayments: Sequence[Copayment],
) -> None:
    await statements.run(
        session,
        _KEEP_PRICED,
        {
            "invoice_id": invoice_id,
            "ssin": ssin,
            "person_id": person_id,
            "result": result,
            "priced_at": datetime.now(UTC),
        },
    )
    if copayments:
        await statements.run(
            session,
            _KEEP_COPAYMENTS,
            [
                {
                    "invoice_id": invoice_id,
                    "line_number": copayment.line_number,
                    "ssin": ssin,
                    "person_key": person_key,
                    "month": copayment.month,
                    "amount": copayment.amount,
                }
                for copayment in copayments
            ],
        )


async def ocmw_copayments_by_month(
    session: AsyncSession, person_keys: Collection[str]
) -> dict[str, Money]:
    """What the OCMW already paid of this person's patient shares, per month of care."""
    rows = await statements.run(session, _PAID_BY_MONTH, {"person_keys": sorted(person_keys)})
    return {month: Money(from_cents(cents or 0)) for month, cents in rows}


async def release_copayments(
    session: AsyncSession, *, invoice_id: str, line_numbers: Collection[int]
) -> None:
    await session.execute(
        delete(_COPAYMENTS).where(
            _COPAYMENTS.c.invoice_id == invoice_id,
            _COPAYMENTS.c.line_number.in_(sorted(line_numbers)),
        )
    )
