from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.money_column import Cents
from servicekit.utc_column import UtcDateTime
from tariffing.db import Base


class PricedInvoice(Base):
    """The verdict published for an invoice: pricing it again publishes the same."""

    __tablename__ = "priced_invoices"

    invoice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11))
    person_id: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    priced_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OcmwCopaymentPaid(Base):
    """What the OCMW pays of the patient share on one accepted line: its monthly cap counts it."""

    __tablename__ = "ocmw_copayments"

    invoice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    person_key: Mapped[str] = mapped_column(String(40), index=True)
    """The registry's person id, or `ssin:<number>` for a person no decision identifies."""
    month: Mapped[str] = mapped_column(String(7))
    amount: Mapped[Decimal] = mapped_column(Cents)


class InvoiceAwaitingAgreement(Base):
    """An invoice naming an agreement number this service has not seen yet.

    The GP gets the number from consultation and may bill at once, before the consultation's
    event reaches this service: pricing then would refuse a valid guarantee. The invoice waits
    for the consultation (or for its time to run out) instead.
    """

    __tablename__ = "invoices_awaiting_agreement"

    invoice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agreement_number: Mapped[str] = mapped_column(String(64), index=True)
    invoice: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The `InvoiceSubmitted` event as received."""
    waiting_since: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
