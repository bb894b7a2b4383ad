from datetime import date

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import statements
from servicekit.db import table_of
from tariffing.nomenclature.models import Tariff, terms_of
from tariffing.nomenclature.rules import TariffTerms

_TARIFFS = table_of(Tariff).c
_TERMS_OF_CODES = (
    select(
        _TARIFFS.code,
        _TARIFFS.valid_from,
        _TARIFFS.valid_until,
        _TARIFFS.fee,
        _TARIFFS.reimbursement,
        _TARIFFS.reimbursement_preferential,
        _TARIFFS.patient_share,
        _TARIFFS.provider_types,
    )
    .where(_TARIFFS.code.in_(bindparam("codes", expanding=True)))
    .order_by(_TARIFFS.code, _TARIFFS.valid_from)
)


async def in_force(session: AsyncSession, *, code: str, on: date) -> Tariff | None:
    """T-05: the tariff valid on the date of care."""
    return await session.scalar(
        select(Tariff)
        .where(
            Tariff.code == code,
            Tariff.valid_from <= on,
            or_(Tariff.valid_until.is_(None), Tariff.valid_until >= on),
        )
        .order_by(Tariff.valid_from.desc())
        .limit(1)
    )


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Tariff)) or 0)


async def add_all(session: AsyncSession, tariffs: list[Tariff]) -> None:
    session.add_all(tariffs)
    await session.flush()


async def terms_for(session: AsyncSession, codes: set[str]) -> dict[str, list[TariffTerms]]:
    """Every period of each code, oldest first."""
    rows = await statements.run(session, _TERMS_OF_CODES, {"codes": sorted(codes)})
    found: dict[str, list[TariffTerms]] = {}
    for row in rows:
        found.setdefault(row.code, []).append(terms_of(row))
    return found


async def all_terms(session: AsyncSession, codes: set[str]) -> list[Tariff]:
    """The stored rows of these codes (an import checks overlaps against them)."""
    return list(await session.scalars(select(Tariff).where(Tariff.code.in_(codes))))
