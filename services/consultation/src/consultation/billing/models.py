from datetime import date, datetime

from sqlalchemy import Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base
from servicekit.utc_column import UtcDateTime


class BillingExemption(Base):
    """A GP's written exemption declaration from electronic billing, recorded by an OCMW (I-06);
    a document reference names one declaration per OCMW."""

    __tablename__ = "billing_exemptions"
    __table_args__ = (
        UniqueConstraint("ocmw", "document_reference"),
        Index("ix_billing_exemptions_provider_ocmw", "provider", "ocmw"),
    )

    exemption_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ocmw: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(11))
    reason: Mapped[str] = mapped_column(String(40))
    declared_on: Mapped[date] = mapped_column(Date)
    document_reference: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProviderKindRecord(Base):
    """Where a provider works (I-06): an out-of-hours post, a fixed-fee medical house or a
    practice; a provider without a record is a practice."""

    __tablename__ = "provider_kinds"

    riziv_number: Mapped[str] = mapped_column(String(11), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100))
