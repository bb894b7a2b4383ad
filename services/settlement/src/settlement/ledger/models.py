from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.money_column import Cents
from settlement.db import Base


class LedgerLine(Base):
    """One paid line, booked in the month it was paid (S-01)."""

    __tablename__ = "ledger_lines"
    __table_args__ = (UniqueConstraint("payment_reference", "line_number"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    month: Mapped[str] = mapped_column(String(7), index=True)
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payment_reference: Mapped[str] = mapped_column(String(40))
    invoice_id: Mapped[str] = mapped_column(String(36))
    line_number: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(11))
    ssin: Mapped[str] = mapped_column(String(11))
    ocmw: Mapped[str] = mapped_column(String(10))
    decision_number: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    urgent_medical_aid: Mapped[bool] = mapped_column(Boolean)
    code: Mapped[str] = mapped_column(String(6))
    date_of_care: Mapped[date] = mapped_column(Date)
    state_share: Mapped[Decimal] = mapped_column(Cents)
    ocmw_share: Mapped[Decimal] = mapped_column(Cents)
    patient_share: Mapped[Decimal] = mapped_column(Cents)
