from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base
from servicekit.utc_column import UtcDateTime


class LateBillingApprovalRecord(Base):
    """The funder's written approval to pay a provider's care for one person billed after the
    two years (I-04), as an operator recorded it; its reference is the funder's."""

    __tablename__ = "late_billing_approvals"
    __table_args__ = (Index("ix_late_billing_approvals_provider_ssin", "provider", "ssin"),)

    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(11))
    ssin: Mapped[str] = mapped_column(String(11))
    person_id: Mapped[str | None] = mapped_column(String(33), index=True)
    care_from: Mapped[date] = mapped_column(Date)
    care_until: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
