"""What pricing needs to know about one person and their lines, read once: one statement per
kind of fact (decisions, tariffs, agreement, certificates, the OCMW's monthly cap)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.values import Money
from mediprima_domain.certificates import Certificate
from mediprima_domain.coverage import DecisionHistory
from mediprima_domain.guarantee import Agreement
from mediprima_domain.identity import person_keys
from tariffing.agreements import repository as agreements
from tariffing.certificates import repository as certificates
from tariffing.decisions import repository as decisions
from tariffing.nomenclature import repository as nomenclature
from tariffing.nomenclature.rules import TariffTerms
from tariffing.pricing import repository


@dataclass(frozen=True)
class Facts:
    history: DecisionHistory
    tariffs: dict[str, list[TariffTerms]]
    agreement: Agreement | None
    certificates: list[Certificate]
    ocmw_paid_by_month: dict[str, Money]


async def read_facts(
    session: AsyncSession, *, ssin: str, agreement_number: str | None, codes: Collection[str]
) -> Facts:
    # Core statements do not autoflush: what this transaction kept before (an earlier event of
    # the consumer's batch, e.g. a certificate) must be in the database before it is read.
    await session.flush()
    history = await decisions.history_for(session, ssin)
    numbers = history.numbers | {ssin}
    return Facts(
        history=history,
        tariffs=await nomenclature.terms_for(session, set(codes)),
        agreement=(
            await agreements.agreement(session, agreement_number) if agreement_number else None
        ),
        certificates=await certificates.certificates_in_force(session, numbers),
        ocmw_paid_by_month=await repository.ocmw_copayments_by_month(
            session, person_keys(person_id=history.person_id, numbers=numbers)
        ),
    )
