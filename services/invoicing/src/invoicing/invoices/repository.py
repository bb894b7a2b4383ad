from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.cancellations.models import InvoiceCancellation
from invoicing.invoices.criteria import InvoiceCriteria
from invoicing.invoices.models import (
    ACCEPTED_ONLY,
    Invoice,
    InvoiceBatch,
    InvoiceCredit,
    InvoiceLine,
    InvoiceStatusChange,
)
from invoicing.invoices.rules import CareKey
from invoicing.invoices.statuses import InvoiceStatus
from servicekit import statements
from servicekit.auth import Role
from servicekit.db import table_of
from servicekit.tenancy import Tenant

# The hot paths (intake, adjudication) write through the tables: one executemany per table, no
# unit of work building and diffing an object per row.
INVOICES: Table = table_of(Invoice)
LINES: Table = table_of(InvoiceLine)
HISTORY: Table = table_of(InvoiceStatusChange)


async def batch_by_idempotency_key(
    session: AsyncSession, *, provider: str, key: str
) -> InvoiceBatch | None:
    return await session.scalar(
        select(InvoiceBatch).where(
            InvoiceBatch.provider == provider, InvoiceBatch.idempotency_key == key
        )
    )


class KeyedInvoice(NamedTuple):
    invoice_id: str
    request_hash: str


async def keyed_invoice(session: AsyncSession, *, provider: str, key: str) -> KeyedInvoice | None:
    """The invoice received under the provider's idempotency key: what a retry is answered by."""
    row = (
        await session.execute(
            select(INVOICES.c.invoice_id, INVOICES.c.request_hash).where(
                INVOICES.c.provider == provider, INVOICES.c.idempotency_key == key
            )
        )
    ).first()
    return None if row is None else KeyedInvoice(*row)


async def add_unless_key_taken(session: AsyncSession, invoice: dict[str, Any]) -> bool:
    """Store the invoice unless its provider already used its idempotency key: whether it was.

    The unique constraint decides in one statement; a concurrent twin's insert makes this one
    wait for its commit and then do nothing.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(INVOICES)
        .values(invoice)
        .on_conflict_do_nothing(index_elements=[INVOICES.c.provider, INVOICES.c.idempotency_key])
        .returning(INVOICES.c.invoice_id)
    )
    return (await session.execute(statement)).first() is not None


async def add_received(
    session: AsyncSession,
    *,
    invoices: Sequence[dict[str, Any]],
    lines: Sequence[dict[str, Any]],
    history: Sequence[dict[str, Any]],
) -> None:
    """Insert these invoices, lines and history rows: one statement per table."""
    for table, rows in ((INVOICES, invoices), (LINES, lines), (HISTORY, history)):
        if rows:
            await session.execute(insert(table), list(rows))


class InvoiceToAdjudicate(NamedTuple):
    provider: str
    ssin: str
    status: str
    submitted_at: datetime


_TO_ADJUDICATE = (
    select(INVOICES.c.provider, INVOICES.c.ssin, INVOICES.c.status, INVOICES.c.submitted_at)
    .where(INVOICES.c.invoice_id == bindparam("invoice_id"))
    .with_for_update()
)
_LINE_STATUSES = select(LINES.c.line_number, LINES.c.status).where(
    LINES.c.invoice_id == bindparam("invoice_id")
)


async def invoice_to_adjudicate(
    session: AsyncSession, invoice_id: str
) -> InvoiceToAdjudicate | None:
    """What adjudication reads of the invoice, locked until the verdicts are written."""
    row = (await statements.run(session, _TO_ADJUDICATE, {"invoice_id": invoice_id})).first()
    return None if row is None else InvoiceToAdjudicate(*row)


async def line_statuses(session: AsyncSession, invoice_id: str) -> dict[int, str]:
    """Each line's status by number. Read after the invoice's lock is taken, so a cancellation
    that held it is seen."""
    rows = await statements.run(session, _LINE_STATUSES, {"invoice_id": invoice_id})
    return {number: status for number, status in rows.all()}


# The SET clause is the columns the parameters name (the same in every row of an executemany).
_VERDICT = update(LINES).where(
    LINES.c.invoice_id == bindparam("key_invoice_id"),
    LINES.c.line_number == bindparam("key_line_number"),
)
_ADJUDICATED = update(INVOICES).where(INVOICES.c.invoice_id == bindparam("key_invoice_id"))


async def record_verdicts(
    session: AsyncSession,
    *,
    invoice_id: str,
    person_id: str | None,
    lines: Mapping[int, dict[str, Any]],
    status: InvoiceStatus,
    at: datetime,
) -> None:
    """The judged lines' columns by line number, in one executemany; then the invoice's person
    and status, and the history entry."""
    if lines:
        await statements.run(
            session,
            _VERDICT,
            [
                {"key_invoice_id": invoice_id, "key_line_number": number, **columns}
                for number, columns in lines.items()
            ],
        )
    await statements.run(
        session,
        _ADJUDICATED,
        {"key_invoice_id": invoice_id, "person_id": person_id, "status": status},
    )
    await session.execute(
        insert(HISTORY), {"invoice_id": invoice_id, "status": status, "changed_at": at}
    )


OWNERS = {Role.GP: Invoice.provider}
"""An invoice belongs to the provider who submitted it."""


async def get_with_lines(
    session: AsyncSession, invoice_id: str, tenant: Tenant, *, for_update: bool = False
) -> Invoice | None:
    query = tenant.restrict(
        select(Invoice)
        .options(selectinload(Invoice.lines))
        .where(Invoice.invoice_id == invoice_id),
        OWNERS,
    )
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def list_for(
    session: AsyncSession, tenant: Tenant, criteria: InvoiceCriteria, *, offset: int, limit: int
) -> list[Invoice]:
    query = tenant.restrict(select(Invoice).options(selectinload(Invoice.lines)), OWNERS)
    query = query.where(*criteria.where(session.get_bind().dialect.name))
    order = (
        (Invoice.submitted_at.desc(), Invoice.invoice_id.desc())
        if criteria.newest_first
        else (Invoice.submitted_at, Invoice.invoice_id)
    )
    return list(await session.scalars(query.order_by(*order).offset(offset).limit(limit)))


def _accepted_care_where(whose: ColumnElement[bool]) -> ColumnElement[bool]:
    # Provider, person and the partial indexes' own predicate on each side of the OR, so each
    # side is a lookup in its index; with the OR inside one AND, SQLite read every accepted
    # line of the provider.
    return and_(
        LINES.c.provider == bindparam("provider"),
        whose,
        ACCEPTED_ONLY,
        tuple_(LINES.c.date_of_care, LINES.c.code).in_(bindparam("care", expanding=True)),
    )


# The hot statements are built once; per invoice only their parameters change.
_ACCEPTED_CARE = select(LINES.c.date_of_care, LINES.c.code).where(
    or_(
        _accepted_care_where(LINES.c.person_key == bindparam("person")),
        _accepted_care_where(LINES.c.ssin == bindparam("ssin")),
    )
)


async def accepted_care(
    session: AsyncSession,
    *,
    provider: str,
    person: str,
    ssin: str,
    care: Sequence[tuple[date, str]],
) -> set[CareKey]:
    """Which of these (date, code) pairs the provider already has accepted for the person (I-02):
    under the person key, whatever number it was billed under, or under this very number (one
    number is one person, also for a line accepted before pricing knew who it was)."""
    if not care:
        return set()
    rows = await statements.run(
        session,
        _ACCEPTED_CARE,
        {"provider": provider, "person": person, "ssin": ssin, "care": list(set(care))},
    )
    return {CareKey(provider, person, day, code) for day, code in rows.all()}


async def histories(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceStatusChange]]:
    """Every status change of these invoices, oldest first, in one query."""
    found: dict[str, list[InvoiceStatusChange]] = {invoice_id: [] for invoice_id in invoice_ids}
    for change in await session.scalars(
        select(InvoiceStatusChange)
        .where(InvoiceStatusChange.invoice_id.in_(invoice_ids))
        .order_by(InvoiceStatusChange.id)
    ):
        found[change.invoice_id].append(change)
    return found


async def credits_of(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceCredit]]:
    found: dict[str, list[InvoiceCredit]] = {invoice_id: [] for invoice_id in invoice_ids}
    for credit in await session.scalars(
        select(InvoiceCredit)
        .where(InvoiceCredit.invoice_id.in_(invoice_ids))
        .order_by(InvoiceCredit.credited_at, InvoiceCredit.credit_reference)
    ):
        found[credit.invoice_id].append(credit)
    return found


def record_status(
    session: AsyncSession, invoice: Invoice, status: InvoiceStatus, at: datetime
) -> None:
    """Set the status and keep it in the history; flushed with the rest of the transaction."""
    invoice.status = status
    session.add(InvoiceStatusChange(invoice_id=invoice.invoice_id, status=status, changed_at=at))


async def record_statuses(
    session: AsyncSession, invoice_ids: Sequence[str], status: InvoiceStatus, at: datetime
) -> None:
    """`record_status` for many invoices in two statements; their entities, if loaded, are not
    updated."""
    if not invoice_ids:
        return
    await session.execute(
        update(INVOICES).where(INVOICES.c.invoice_id.in_(invoice_ids)).values(status=status)
    )
    await session.execute(
        insert(HISTORY),
        [
            {"invoice_id": invoice_id, "status": status, "changed_at": at}
            for invoice_id in invoice_ids
        ],
    )


async def cancellations_of(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceCancellation]]:
    found: dict[str, list[InvoiceCancellation]] = {invoice_id: [] for invoice_id in invoice_ids}
    for cancellation in await session.scalars(
        select(InvoiceCancellation)
        .where(InvoiceCancellation.invoice_id.in_(invoice_ids))
        .order_by(InvoiceCancellation.cancelled_at, InvoiceCancellation.cancellation_id)
    ):
        found[cancellation.invoice_id].append(cancellation)
    return found
