from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.utc_column import UtcDateTime
from settlement.db import Base


class OcmwEntry(Base):
    """An OCMW's names and working language as its latest decision event gave them."""

    __tablename__ = "ocmw_directory"

    enterprise_number: Mapped[str] = mapped_column(String(10), primary_key=True)
    municipality_nis: Mapped[str] = mapped_column(String(5))
    name_nl: Mapped[str | None] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(2))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
