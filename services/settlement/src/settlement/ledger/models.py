from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.money_column import Cents
from servicekit.utc_column import UtcDateTime
from settlement.db import Base

PAID = "paid"
CREDIT = "credit"


class LedgerLine(Base):
    """One paid line, or the credit of a paid line, booked in a settlement month (S-01, S-04).

    `booking_reference` is the payment reference of a paid line and the credit reference of a
    credit; with the invoice and the line number it makes redelivered events land on the same
    row (one provider payment pays several invoices, each with its line 1). A credit
    keeps the original `payment_reference`, which with `invoice_id` and `line_number` names the
    paid line it corrects. Credits carry negative shares. Statements total per person by
    `person_id`, or by `ssin` where there is none.
    """

    __tablename__ = "ledger_lines"
    __table_args__ = (
        UniqueConstraint("booking_reference", "invoice_id", "line_number"),
        Index("ix_ledger_lines_month_ocmw", "month", "ocmw"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    month: Mapped[str] = mapped_column(String(7), index=True)
    kind: Mapped[str] = mapped_column(String(6), server_default=PAID)
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    booking_reference: Mapped[str] = mapped_column(String(40))
    payment_reference: Mapped[str] = mapped_column(String(40))
    invoice_id: Mapped[str] = mapped_column(String(36))
    line_number: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(11))
    ssin: Mapped[str] = mapped_column(String(11))
    # The registry's identity of the person (D-08), the same under every number; None when
    # pricing knew no person (and on lines booked before it was published).
    person_id: Mapped[str | None] = mapped_column(String(33))
    ocmw: Mapped[str] = mapped_column(String(10))
    decision_number: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    urgent_medical_aid: Mapped[bool] = mapped_column(Boolean)
    code: Mapped[str] = mapped_column(String(6))
    date_of_care: Mapped[date] = mapped_column(Date)
    state_share: Mapped[Decimal] = mapped_column(Cents)
    ocmw_share: Mapped[Decimal] = mapped_column(Cents)
    patient_share: Mapped[Decimal] = mapped_column(Cents)
