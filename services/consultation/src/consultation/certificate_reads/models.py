from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base
from servicekit.utc_column import UtcDateTime


class ReadEndpoint(StrEnum):
    """Which endpoint read the certificates."""

    SEARCH = "search"
    """`GET /v1/urgent-aid-certificates?ssin=` as JSON."""
    DOWNLOAD = "download"
    """The same search downloaded as CSV."""
    CERTIFICATE = "certificate"
    """`GET /v1/urgent-aid-certificates/{certificate_number}`."""
    VERSIONS = "versions"
    """`GET /v1/urgent-aid-certificates/{certificate_number}/versions`."""


class CertificateRead(Base):
    """A read of certificates by someone other than their author (C-04), written in the same
    transaction as the read itself."""

    __tablename__ = "certificate_reads"
    __table_args__ = (
        Index("ix_certificate_reads_read_at", "read_at"),
        Index("ix_certificate_reads_ssin_read_at", "ssin", "read_at"),
        Index("ix_certificate_reads_reader_read_at", "reader", "read_at"),
        Index("ix_certificate_reads_ocmw_read_at", "ocmw", "read_at"),
    )

    read_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reader: Mapped[str] = mapped_column(String(100))
    reader_role: Mapped[str] = mapped_column(String(20))
    endpoint: Mapped[str] = mapped_column(String(40))
    ssin: Mapped[str] = mapped_column(String(11))
    certificate_numbers: Mapped[list[str]] = mapped_column(JSON)
    ocmw: Mapped[str | None] = mapped_column(String(10))
    """The OCMW covering the person (as C-01 names it) on the first day the certificates read
    are valid: it reads the trail of reads about the people it covers."""
