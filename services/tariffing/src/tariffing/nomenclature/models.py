from datetime import date
from decimal import Decimal

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.money_column import Cents
from tariffing.db import Base


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
