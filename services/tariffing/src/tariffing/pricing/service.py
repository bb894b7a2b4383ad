"""Prices lines for one person with the decisions, agreements, certificates and tariffs this
service knows: the one path behind the simulation API and invoice pricing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.values import Money, RizivNumber
from mediprima_domain.billing import check_billing_limit_i04
from tariffing.pricing.facts import Facts, read_facts
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
    """Price `lines` in order with the facts this service knows (`price_with`)."""
    facts = await read_facts(
        session,
        ssin=ssin,
        agreement_number=agreement_number,
        codes={line.code for line in lines},
    )
    return price_with(
        facts,
        ssin=ssin,
        provider=provider,
        agreement_number=agreement_number,
        lines=lines,
        today=today,
        issued_on=issued_on,
    )


def price_with(
    facts: Facts,
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
    paid_by_month = defaultdict(lambda: Money(0), facts.ocmw_paid_by_month)
    priced = []
    for line in lines:
        month = line.date_of_care.isoformat()[:7]
        price = price_line(
            ssin=ssin,
            code=line.code,
            date_of_care=line.date_of_care,
            amount=line.amount,
            tariffs=facts.tariffs.get(line.code, []),
            history=facts.history,
            today=today,
            issued_on=issued_on,
            provider=provider,
            admission_date=line.admission_date,
            agreement_number=agreement_number,
            agreement=facts.agreement,
            certificates=facts.certificates,
            ocmw_copayment_paid_this_month=paid_by_month[month],
        )
        paid_by_month[month] = paid_by_month[month] + price.ocmw_copayment
        priced.append(price)
    return Pricing(priced, facts.history.person_id)


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
