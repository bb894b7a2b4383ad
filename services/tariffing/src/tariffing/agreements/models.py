from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.utc_column import UtcDateTime
from tariffing.db import Base


class ConsultationView(Base):
    """A recorded consultation as seen on the bus; a covered one carries an agreement (C-02)."""

    __tablename__ = "consultations"

    consultation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agreement_number: Mapped[str | None] = mapped_column(String(64), index=True)
    agreement_valid_until: Mapped[date | None] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(11))
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    person_id: Mapped[str | None] = mapped_column(String(40))
    care_date: Mapped[date] = mapped_column(Date)
    covered: Mapped[bool] = mapped_column(Boolean)
    decision_number: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    consulted_at: Mapped[datetime] = mapped_column(UtcDateTime)
