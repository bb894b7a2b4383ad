from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invoicing.db import Base
from servicekit.money_column import Cents
from servicekit.utc_column import UtcDateTime


def _submission_day(context: DefaultExecutionContext) -> date:
    """A row written without an issue date was issued on the day it was submitted (C-02)."""
    parameters: dict[str, datetime] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    submitted_at = parameters["submitted_at"]
    return submitted_at.date()


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("provider", "idempotency_key"),)

    invoice_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    ssin: Mapped[str] = mapped_column(String(11))
    agreement_number: Mapped[str | None] = mapped_column(String(12))
    # The provider's issue date (C-02's 30 days bound it); the submission day when none was given.
    issued_on: Mapped[date] = mapped_column(Date, default=_submission_day)
    corrects_invoice_id: Mapped[str | None] = mapped_column(String(36))
    # The registry's identity of the person, from pricing (InvoicePriced.person_id): the same
    # under every SSIN the person had (D-08). None until priced, or when no decision knows them.
    person_id: Mapped[str | None] = mapped_column(String(33))
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    lines: Mapped[list["InvoiceLine"]] = relationship(
        lazy="raise", order_by="InvoiceLine.line_number"
    )


ACCEPTED_ONLY = text("status = 'accepted'")
UNPAID_ONLY = text("status = 'accepted' AND payment_reference IS NULL")


class InvoiceLine(Base):
    """One care line; `status` is a `LineStatus` (a credited line was accepted, then taken back
    by the payer; a cancelled one withdrawn by the provider; both stay for the record and are
    never paid again).

    `person_key` (`mediprima_domain.identity.person_key`) is `ssin:<ssin>` from intake and the
    person id once pricing names the person, so the same care under a replaced number is the
    same care."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        # I-02: one accepted line per care (provider, person, day, code), enforced by the
        # database so two consumers adjudicating at once cannot both accept it.
        Index(
            "uq_invoice_lines_accepted_care",
            "provider",
            "person_key",
            "date_of_care",
            "code",
            unique=True,
            sqlite_where=ACCEPTED_ONLY,
            postgresql_where=ACCEPTED_ONLY,
        ),
        # The same number is the same person too: a line accepted before pricing knew the
        # person is found by its number (repository.accepted_care).
        Index(
            "ix_invoice_lines_accepted_care_by_ssin",
            "provider",
            "ssin",
            "date_of_care",
            "code",
            sqlite_where=ACCEPTED_ONLY,
            postgresql_where=ACCEPTED_ONLY,
        ),
        Index(
            "ix_invoice_lines_unpaid",
            "provider",
            sqlite_where=UNPAID_ONLY,
            postgresql_where=UNPAID_ONLY,
        ),
    )

    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"), primary_key=True)
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_of_care: Mapped[date] = mapped_column(Date)
    admission_date: Mapped[date | None] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(6))
    amount: Mapped[Decimal] = mapped_column(Cents)
    status: Mapped[str] = mapped_column(String(20))
    state_share: Mapped[Decimal | None] = mapped_column(Cents)
    ocmw_share: Mapped[Decimal | None] = mapped_column(Cents)
    patient_share: Mapped[Decimal | None] = mapped_column(Cents)
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    decision_number: Mapped[str | None] = mapped_column(String(12))
    version: Mapped[int | None] = mapped_column(Integer)
    ocmw: Mapped[str | None] = mapped_column(String(10))
    urgent_medical_aid: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_reference: Mapped[str | None] = mapped_column(String(40), index=True)
    provider: Mapped[str | None] = mapped_column(String(11))
    ssin: Mapped[str | None] = mapped_column(String(11))
    person_key: Mapped[str] = mapped_column(String(40))
    credit_reference: Mapped[str | None] = mapped_column(String(40))
    # For an insured person, the health fund's part (T-02): shown, charged to nobody here.
    health_fund_share: Mapped[Decimal | None] = mapped_column(Cents)
    certificate_number: Mapped[str | None] = mapped_column(String(64))
    # I-05: when the line was paid, and how long after the invoice was submitted (whole seconds).
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    payment_delay_seconds: Mapped[int | None] = mapped_column(Integer)


class InvoiceStatusChange(Base):
    __tablename__ = "invoice_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InvoiceBatch(Base):
    """An end-of-day upload: its key, the body's hash and the answer given, for retries."""

    __tablename__ = "invoice_batches"
    __table_args__ = (UniqueConstraint("provider", "idempotency_key"),)

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider: Mapped[str] = mapped_column(String(11))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class InvoiceCredit(Base):
    """Accepted lines taken back by the payer; published, never erased."""

    __tablename__ = "invoice_credits"

    credit_reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"), index=True)
    credited_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    line_numbers: Mapped[list[int]] = mapped_column(JSON)
    reason: Mapped[dict[str, str]] = mapped_column(JSON)
    amount: Mapped[Decimal] = mapped_column(Cents)
