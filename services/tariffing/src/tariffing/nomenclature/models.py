from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.money_column import Cents
from tariffing.db import Base
from tariffing.nomenclature.rules import TariffTerms


class Tariff(Base):
    """A nomenclature code's fee and split for one period of validity (T-05)."""

    __tablename__ = "tariffs"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    fee: Mapped[Decimal] = mapped_column(Cents)
    reimbursement: Mapped[Decimal] = mapped_column(Cents)
    reimbursement_preferential: Mapped[Decimal] = mapped_column(Cents)
    patient_share: Mapped[Decimal] = mapped_column(Cents)
    provider_types: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(300))

    def terms(self) -> TariffTerms:
        return terms_of(self)

    @classmethod
    def from_terms(cls, terms: TariffTerms, description: str) -> "Tariff":
        return cls(
            code=terms.code,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            fee=terms.fee,
            reimbursement=terms.reimbursement,
            reimbursement_preferential=terms.reimbursement_preferential,
            patient_share=terms.patient_share,
            provider_types=",".join(sorted(terms.provider_types)),
            description=description,
        )


def terms_of(tariff: Any) -> TariffTerms:
    """The terms of a `Tariff`, or of a row of its table's columns (the pricing path's read)."""
    return TariffTerms(
        code=tariff.code,
        valid_from=tariff.valid_from,
        valid_until=tariff.valid_until,
        fee=tariff.fee,
        reimbursement=tariff.reimbursement,
        reimbursement_preferential=tariff.reimbursement_preferential,
        patient_share=tariff.patient_share,
        provider_types=frozenset(tariff.provider_types.split(",")),
    )
