from datetime import datetime

from sqlalchemy import Integer, String
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


class DecisionPerson(Base):
    """The person of a decision as its OCMW knows them: the names of the decision's latest
    version seen (S-02 statements name each person so). An OCMW's own data (`ocmw`)."""

    __tablename__ = "decision_persons"

    decision_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    ocmw: Mapped[str] = mapped_column(String(10), index=True)
    decision_version: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(200))
