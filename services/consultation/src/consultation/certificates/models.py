from datetime import date, datetime

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base, UtcDateTime


class UrgentAidCertificate(Base):
    """A DMH/AMU certificate as filed (C-04); a withdrawn one is kept, marked withdrawn."""

    __tablename__ = "urgent_aid_certificates"

    certificate_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    provider: Mapped[str] = mapped_column(String(11), index=True)
    care_type: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
