from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base
from servicekit.utc_column import UtcDateTime


class Consultation(Base):
    """One consultation as answered: the audit trail (C-03) and the guarantee (C-02)."""

    __tablename__ = "consultations"
    __table_args__ = (
        Index("ix_consultations_provider_consulted_at", "provider", "consulted_at"),
        Index("ix_consultations_ssin_consulted_at", "ssin", "consulted_at"),
        Index("ix_consultations_ocmw_consulted_at", "ocmw", "consulted_at"),
    )

    consultation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agreement_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    person_id: Mapped[str | None] = mapped_column(String(40), index=True)
    care_date: Mapped[date] = mapped_column(Date)
    care_type: Mapped[str | None] = mapped_column(String(40))
    consulted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    agreement_valid_until: Mapped[date | None] = mapped_column(Date)
    covered: Mapped[bool] = mapped_column(Boolean)
    decision_number: Mapped[str | None] = mapped_column(String(12))
    version: Mapped[int | None] = mapped_column(Integer)
    ocmw: Mapped[str | None] = mapped_column(String(10))
    """The enterprise number of the OCMW of the decision the answer names: it reads the trail
    of consultations about the people it covers."""
    answer: Mapped[dict[str, object]] = mapped_column(JSON)
