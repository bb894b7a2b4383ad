from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.utc_column import UtcDateTime
from tariffing.db import Base


class PersonRead(Base):
    """A provider or operator learnt something of a person's cover through this service: who,
    when, through which endpoint, and the OCMW covering the person then (who may see it)."""

    __tablename__ = "person_reads"

    read_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    reader_role: Mapped[str] = mapped_column(String(16))
    reader: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(64))
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    person_id: Mapped[str | None] = mapped_column(String(40))
    ocmw: Mapped[str | None] = mapped_column(String(10), index=True)
