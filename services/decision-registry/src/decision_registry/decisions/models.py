from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from decision_registry.db import Base
from servicekit.utc_column import UtcDateTime


class Decision(Base):
    """The decision's identity and where it stands; each version's content is a snapshot.

    The columns after `status` repeat what the current version says, kept by `record_version`,
    so that overlaps (D-14) and worklists are found in SQL.
    """

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    decision_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    ocmw_enterprise_number: Mapped[str] = mapped_column(String(10), index=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    current_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    last_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(200))
    death_date: Mapped[date | None] = mapped_column(Date)
    urgent_aid_ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    insurability_ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DecisionVersion(Base):
    """One version, whole: the published snapshot, the D-12 policy it was assessed under, and
    the reason the OCMW gave for a suspension or stop."""

    __tablename__ = "decision_versions"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_kind: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    refund_policy_version: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
