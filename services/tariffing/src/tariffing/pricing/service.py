"""Prices lines for one person with the decisions, agreements, certificates and tariffs this
service knows: the one path behind the simulation API and invoice pricing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.values import Money, RizivNumber
from mediprima_domain.billing import check_billing_limit_i04
from mediprima_domain.identity import person_keys
from tariffing.agreements import repository as agreements
from tariffing.certificates import repository as certificates
from tariffing.decisions import repository as decisions
from tariffing.nomenclature import repository as nomenclature
from tariffing.pricing import repository
from tariffing.pricing.rules import LinePrice, price_line
from tariffing.pricing.split import ZERO


@dataclass(frozen=True)
class LineToPrice:
    code: str
    date_of_care: date
    amount: Money | None
    admission_date: date | None = None


@dataclass(frozen=True)
class Pricing:
    """The lines priced for one person, and who that person is for the registry (D-08)."""

    lines: list[LinePrice]
    person_id: str | None


async def price_lines(
    session: AsyncSession,
    *,
    ssin: str,
    provider: RizivNumber | None,
    agreement_number: str | None,
    lines: list[LineToPrice],
    today: date,
    issued_on: date | None = None,
) -> Pricing:
    """Price `lines` in order; each line's OCMW patient share counts against the person's monthly
    cap of the lines after it (T-03)."""
    history = await decisions.history_for(session, ssin)
    tariffs = await nomenclature.terms_for(session, {line.code for line in lines})
    agreement = await agreements.agreement(session, agreement_number) if agreement_number else None
    person_certificates = await certificates.certificates_in_force(
        session, history.numbers | {ssin}
    )
    paid_by_month = defaultdict(
        lambda: Money(0),
        await repository.ocmw_copayments_by_month(
            session, person_keys(person_id=history.person_id, numbers=history.numbers | {ssin})
        ),
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
            history=history,
            today=today,
            issued_on=issued_on,
            provider=provider,
            admission_date=line.admission_date,
            agreement_number=agreement_number,
            agreement=agreement,
            certificates=person_certificates,
            ocmw_copayment_paid_this_month=paid_by_month[month],
        )
        paid_by_month[month] = paid_by_month[month] + price.ocmw_copayment
        priced.append(price)
    return Pricing(priced, history.person_id)


def with_billing_limit_i04(price: LinePrice, *, date_of_care: date, billed_on: date) -> LinePrice:
    """I-04 as the GP would meet it when billing on `billed_on` (the simulation's view; invoicing
    applies the same function to invoices)."""
    late = check_billing_limit_i04(date_of_care, billed_on)
    if late is None or not price.accepted:
        return price
    whole = price.state_share + price.ocmw_share + price.patient_share
    return replace(
        price, state_share=ZERO, ocmw_share=ZERO, patient_share=whole, refusal=late, remarks=()
    )
