from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base
from servicekit.utc_column import UtcDateTime


class InvoiceCancellation(Base):
    """Lines a provider withdrew before payment, by request (its Idempotency-Key) or because a
    correcting invoice replaced them (`replaced_by`, key `correction/<new invoice id>`)."""

    __tablename__ = "invoice_cancellations"
    __table_args__ = (UniqueConstraint("provider", "idempotency_key"),)

    cancellation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"), index=True)
    provider: Mapped[str] = mapped_column(String(11))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    cancelled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    line_numbers: Mapped[list[int]] = mapped_column(JSON)
    reason: Mapped[dict[str, str]] = mapped_column(JSON)
    replaced_by: Mapped[str | None] = mapped_column(String(36))
    invoice_status: Mapped[str] = mapped_column(String(20))
