"""Prices lines for one person with the decisions, agreements, certificates and tariffs this
service knows: the one path behind the simulation API and invoice pricing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Money, RizivNumber
from tariffing.agreements import repository as agreements
from tariffing.certificates import repository as certificates
from tariffing.decisions import repository as decisions
from tariffing.nomenclature import repository as nomenclature
from tariffing.pricing import repository
from tariffing.pricing.rules import LinePrice, price_line


@dataclass(frozen=True)
class LineToPrice:
    code: str
    date_of_care: date
    amount: Money | None


async def price_lines(
    session: AsyncSession,
    *,
    ssin: str,
    provider: RizivNumber | None,
    agreement_number: str | None,
    lines: list[LineToPrice],
    today: date,
) -> list[LinePrice]:
    """Price `lines` in order; each line's OCMW patient share counts against the monthly cap of
    the lines after it (T-03)."""
    versions = [
        DecisionVersionPublished.model_validate(view.snapshot)
        for view in await decisions.all_versions_for(session, ssin)
    ]
    tariffs = await nomenclature.terms_for(session, {line.code for line in lines})
    agreement = await agreements.agreement(session, agreement_number) if agreement_number else None
    person_certificates = await certificates.certificates_in_force(session, ssin)
    paid_by_month = defaultdict(
        lambda: Money(0), await repository.ocmw_copayments_by_month(session, ssin)
    )
    priced = []
    for line in lines:
        month = line.date_of_care.isoformat()[:7]
        price = price_line(
            ssin=ssin,
            code=line.code,
            date_of_care=line.date_of_care,
            amount=line.amount,
            tariffs=tariffs.get(line.code, []),
            decisions=versions,
            today=today,
            provider=provider,
            agreement_number=agreement_number,
            agreement=agreement,
            certificates=person_certificates,
            ocmw_copayment_paid_this_month=paid_by_month[month],
        )
        paid_by_month[month] = paid_by_month[month] + price.ocmw_copayment
        priced.append(price)
    return priced
