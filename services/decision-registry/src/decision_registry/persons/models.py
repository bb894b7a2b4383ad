from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from decision_registry.db import Base
from servicekit.utc_column import UtcDateTime


class PersonRecord(Base):
    """A person as the registry knows them, whatever number they go by (D-08).

    `merged_into` marks a record given up when two records turned out to be one person; its
    numbers and decisions then belong to the record kept.
    """

    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String(33), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    merged_into: Mapped[str | None] = mapped_column(String(33))


class PersonNumber(Base):
    """One number (INSZ/NISS or BIS) of a person: `current`, `pending` or `replaced`."""

    __tablename__ = "person_numbers"

    ssin: Mapped[str] = mapped_column(String(11), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
