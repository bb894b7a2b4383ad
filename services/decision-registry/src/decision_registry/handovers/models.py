from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from decision_registry.db import Base
from servicekit.utc_column import UtcDateTime


class HandOver(Base):
    """A file one OCMW hands over to the OCMW it deems competent (D-14), and its answer."""

    __tablename__ = "hand_overs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("decisions.id"), index=True
    )
    from_enterprise_number: Mapped[str] = mapped_column(String(10), index=True)
    to_enterprise_number: Mapped[str] = mapped_column(String(10), index=True)
    to_municipality_nis: Mapped[str] = mapped_column(String(5))
    to_name_nl: Mapped[str | None] = mapped_column(String(200))
    to_name_fr: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    competent_ocmw: Mapped[str | None] = mapped_column(String(10))
    version: Mapped[int | None] = mapped_column(Integer)
