from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base
from servicekit.money_column import Cents


class Payment(Base):
    """One transfer to a provider for the accepted lines of one invoice in one run."""

    __tablename__ = "payments"

    payment_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    invoice_id: Mapped[str] = mapped_column(String(36), index=True)
    amount: Mapped[Decimal] = mapped_column(Cents)
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentRun(Base):
    __tablename__ = "payment_runs"

    run_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_invoices: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Cents)
