from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.billing.models import BillingExemption, ProviderKindRecord
from servicekit import statements
from servicekit.auth import Role
from servicekit.tenancy import Tenant


async def exemption_by_reference(
    session: AsyncSession, *, ocmw: str, document_reference: str
) -> BillingExemption | None:
    query = select(BillingExemption).where(
        BillingExemption.ocmw == ocmw, BillingExemption.document_reference == document_reference
    )
    return await session.scalar(query)


OWNERS = {Role.OCMW: BillingExemption.ocmw}
"""A declaration belongs to the OCMW that recorded it (I-06)."""

READERS = {**OWNERS, Role.GP: BillingExemption.provider}
"""Whose rows PostgreSQL's policy shows (`servicekit.rowsecurity`): the owners', and to a
provider the declarations naming it, which every consultation of theirs reads (I-06)."""


async def exemptions(
    session: AsyncSession, tenant: Tenant, *, provider: str | None
) -> list[BillingExemption]:
    """The declarations `tenant` may read (for `provider`, or every provider when None), oldest
    declaration first."""
    query = tenant.restrict(select(BillingExemption), OWNERS)
    if provider is not None:
        query = query.where(BillingExemption.provider == provider)
    query = query.order_by(BillingExemption.declared_on, BillingExemption.exemption_id)
    return list(await session.scalars(query))


async def provider_kind(session: AsyncSession, riziv_number: str) -> ProviderKindRecord | None:
    return await session.get(ProviderKindRecord, riziv_number)


# The route of every consultation reads these two: built once (servicekit.statements).
_KIND = select(ProviderKindRecord.kind).where(
    ProviderKindRecord.riziv_number == bindparam("provider")
)
_DECLARED_TO = (
    select(BillingExemption.reason, BillingExemption.declared_on)
    .where(
        BillingExemption.ocmw == bindparam("ocmw"),
        BillingExemption.provider == bindparam("provider"),
    )
    .order_by(BillingExemption.declared_on, BillingExemption.exemption_id)
)


async def kind_of(session: AsyncSession, provider: str) -> str | None:
    """The recorded kind of the provider's practice, if any."""
    return (await statements.run(session, _KIND, {"provider": provider})).scalar()


async def declared_to(session: AsyncSession, *, ocmw: str, provider: str) -> Sequence[Row[Any]]:
    """The `reason` and `declared_on` of the declarations `ocmw` recorded for `provider`."""
    return (await statements.run(session, _DECLARED_TO, {"ocmw": ocmw, "provider": provider})).all()
