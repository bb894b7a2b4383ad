from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tariffing.db import Base


class CertificateView(Base):
    """An urgent-medical-aid certificate (C-04); a withdrawal is kept, never undone by replay."""

    __tablename__ = "certificates"

    certificate_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    provider: Mapped[str] = mapped_column(String(11))
    care_type: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    withdrawn: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """The latest version seen: a correction by its author replaces the facts (C-04)."""
