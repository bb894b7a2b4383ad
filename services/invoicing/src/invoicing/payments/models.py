from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base
from invoicing.invoices.statuses import PaymentRunStatus
from servicekit.money_column import Cents
from servicekit.utc_column import UtcDateTime


class ProviderPayment(Base):
    """One transfer to one provider in one run, for all its lines paid in that run, less what
    the provider owed back for credited paid lines (I-05): `amount` = `lines_amount` -
    `recovered`; `balance_owed` is what the provider still owed after it, carried forward."""

    __tablename__ = "provider_payments"
    __table_args__ = (UniqueConstraint("run_id", "provider"),)

    payment_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36))
    provider: Mapped[str] = mapped_column(String(11), index=True)
    amount: Mapped[Decimal] = mapped_column(Cents)
    lines_amount: Mapped[Decimal] = mapped_column(Cents)
    recovered: Mapped[Decimal] = mapped_column(Cents)
    balance_owed: Mapped[Decimal] = mapped_column(Cents)
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Recovery(Base):
    """What a provider owes back after a credit of lines it had been paid (I-05): offset
    against its next payments until `outstanding` is zero; never forgiven, never taken twice."""

    __tablename__ = "recoveries"

    credit_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    invoice_id: Mapped[str] = mapped_column(String(36))
    payment_reference: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Cents)
    outstanding: Mapped[Decimal] = mapped_column(Cents)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RecoveryOffset(Base):
    """The part of a recovery one provider payment took back."""

    __tablename__ = "recovery_offsets"

    payment_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    credit_reference: Mapped[str] = mapped_column(
        ForeignKey("recoveries.credit_reference"), primary_key=True, index=True
    )
    amount: Mapped[Decimal] = mapped_column(Cents)


class InvoicePayment(Base):
    """The part of a provider payment that pays one invoice's lines."""

    __tablename__ = "invoice_payments"

    payment_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    amount: Mapped[Decimal] = mapped_column(Cents)
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentRun(Base):
    """A run is `running` until every provider is paid; a crashed run is resumed, not redone.

    Its progress moves in the transaction that pays each provider, so it never shows a payment
    that did not commit: `providers_paid` of `providers_to_pay`, and the invoices and amount
    transferred so far."""

    __tablename__ = "payment_runs"

    run_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default=PaymentRunStatus.RUNNING)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    progressed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When it last moved (started, resumed, a provider paid, finished): a run `running` that has
    not moved for long has most likely stopped with its process."""
    providers_to_pay: Mapped[int] = mapped_column(Integer, default=0)
    providers_paid: Mapped[int] = mapped_column(Integer, default=0)
    paid_invoices: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Cents)
