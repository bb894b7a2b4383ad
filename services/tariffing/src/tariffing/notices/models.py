from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.utc_column import UtcDateTime
from tariffing.db import Base


class FunderNotice(Base):
    """An accepted line of care outside hospitals the funder learns of more than 45 days after
    the care (D-05): listed for the funder, not refused."""

    __tablename__ = "funder_notices"
    __table_args__ = (Index("ix_funder_notices_ocmw_care", "ocmw", "date_of_care"),)

    invoice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(11))
    ssin: Mapped[str] = mapped_column(String(11))
    date_of_care: Mapped[date] = mapped_column(Date, index=True)
    decision_number: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    decision_date: Mapped[date] = mapped_column(Date)
    ocmw: Mapped[str] = mapped_column(String(10))
    days_after_care: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
