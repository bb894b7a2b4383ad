from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base
from servicekit.utc_column import UtcDateTime


class UrgentAidCertificate(Base):
    """A DMH/AMU certificate (C-04) as its latest version states it; a withdrawn one is kept,
    marked withdrawn; one a paid line relies on is marked relied on."""

    __tablename__ = "urgent_aid_certificates"

    certificate_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    care_type: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    relied_on_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CertificateVersion(Base):
    """Every version of a certificate as its author filed it: 1 when filed, +1 per correction."""

    __tablename__ = "urgent_aid_certificate_versions"

    certificate_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11))
    care_type: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CertificateReliance(Base):
    """A paid invoice line that relies on a certificate (learnt from `InvoicePaid`)."""

    __tablename__ = "certificate_reliances"

    invoice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_number: Mapped[str] = mapped_column(String(12), index=True)
    date_of_care: Mapped[date] = mapped_column(Date)
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime)
