"""Prices lines for one person with the decisions and tariffs this service knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.decisions import DecisionVersionPublished
from tariffing.decisions import repository as decisions
from tariffing.nomenclature import repository as nomenclature
from tariffing.pricing.rules import LinePrice, TariffTerms, price_line


@dataclass(frozen=True)
class LineToPrice:
    code: str
    date_of_care: date
    amount: Decimal | None


async def price_lines(
    session: AsyncSession, *, ssin: str, lines: list[LineToPrice], today: date
) -> list[LinePrice]:
    """The one pricing path behind the simulation API and invoice pricing."""
    known = [
        DecisionVersionPublished.model_validate(view.snapshot)
        for view in await decisions.current_versions_for(session, ssin)
    ]
    priced = []
    for line in lines:
        tariff = await nomenclature.in_force(session, code=line.code, on=line.date_of_care)
        terms = (
            TariffTerms(tariff.code, tariff.fee, tariff.reimbursement, tariff.patient_share)
            if tariff
            else None
        )
        priced.append(
            price_line(
                code=line.code,
                date_of_care=line.date_of_care,
                amount=line.amount,
                tariff=terms,
                decisions=known,
                today=today,
            )
        )
    return priced
