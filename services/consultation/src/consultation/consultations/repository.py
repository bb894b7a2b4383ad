from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.consultations.models import Consultation
from servicekit import statements
from servicekit.auth import Role
from servicekit.tenancy import Tenant


def _insert_unless_number_taken(dialect: Any) -> Insert:
    statement: Insert = (
        dialect.insert(Consultation)
        .on_conflict_do_nothing(index_elements=[Consultation.agreement_number])
        .returning(Consultation.consultation_id)
    )
    return statement


_INSERTS = {
    "postgresql": _insert_unless_number_taken(postgresql),
    "sqlite": _insert_unless_number_taken(sqlite),
}


async def add_unless_number_taken(session: AsyncSession, consultation: dict[str, Any]) -> bool:
    """Store the consultation unless its agreement number is already given: whether it was.

    One statement checks and writes (the number's unique constraint decides), where a lookup
    and then an ORM flush took two round trips and a unit of work.
    """
    statement = _INSERTS[session.get_bind().dialect.name]
    return (await statements.run(session, statement, consultation)).first() is not None


OWNERS = {Role.GP: Consultation.provider, Role.OCMW: Consultation.ocmw}
"""A consultation belongs to the provider who asked (C-03) and to the OCMW of the decision its
answer names, which sees who asked about the people it covers."""


async def get(session: AsyncSession, consultation_id: str, tenant: Tenant) -> Consultation | None:
    query = select(Consultation).where(Consultation.consultation_id == consultation_id)
    return await session.scalar(tenant.restrict(query, OWNERS))


async def by_agreement_number(session: AsyncSession, agreement_number: str) -> Consultation | None:
    query = select(Consultation).where(Consultation.agreement_number == agreement_number)
    return await session.scalar(query)


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit trail; the period bounds are instants, `until` excluded; `ssins` are
    the numbers of one person (D-08: a person is one person under every number)."""

    ssins: frozenset[str] | None
    provider: str | None
    since: datetime | None
    until: datetime | None


async def page(
    session: AsyncSession, tenant: Tenant, query: AuditQuery, *, limit: int, offset: int
) -> tuple[list[Consultation], int]:
    """One page of the matching consultations `tenant` may read, newest first, and how many."""
    matching = tenant.restrict(_matching(query), OWNERS)
    total = await session.scalar(select(func.count()).select_from(matching.subquery()))
    rows = await session.scalars(
        matching.order_by(Consultation.consulted_at.desc(), Consultation.consultation_id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


def _matching(query: AuditQuery) -> Select[Consultation]:
    conditions: list[ColumnElement[bool]] = []
    if query.ssins is not None:
        conditions.append(Consultation.ssin.in_(sorted(query.ssins)))
    if query.provider is not None:
        conditions.append(Consultation.provider == query.provider)
    if query.since is not None:
        conditions.append(Consultation.consulted_at >= query.since)
    if query.until is not None:
        conditions.append(Consultation.consulted_at < query.until)
    return select(Consultation).where(*conditions)
