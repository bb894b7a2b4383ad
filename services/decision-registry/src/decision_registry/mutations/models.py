from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from decision_registry.db import Base
from servicekit.utc_column import UtcDateTime


class MutationStatus(StrEnum):
    """Where a register mutation stands on one decision (D-08)."""

    APPLIED = "applied"
    """Done at once (a name, a death, an identity): no OCMW action."""
    PENDING = "pending"
    """Suspended the decision; waits for the OCMW to reactivate or stop it."""
    RESOLVED = "resolved"
    """The OCMW reactivated or stopped the decision."""
    CANCELLED = "cancelled"
    """A later one of several, cancelled by the stop (D-08)."""


class RegisterMutation(Base):
    """A register mutation as it bears on one decision (D-08).

    `status`: `applied` (name, death: done at once), `pending` (suspended the decision, waits
    for the OCMW), `resolved` (the OCMW reactivated or stopped), `cancelled` (a later mutation
    cancelled by the stop). `mutation_key` identifies the reported fact, so a repeat is a no-op.
    """

    __tablename__ = "register_mutations"
    __table_args__ = (UniqueConstraint("decision_id", "mutation_key"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    mutation_key: Mapped[str] = mapped_column(String(64))
    ssin: Mapped[str] = mapped_column(String(11))
    kind: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[date] = mapped_column(Date)
    new_ssin: Mapped[str | None] = mapped_column(String(11))
    new_last_name: Mapped[str | None] = mapped_column(String(200))
    new_first_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
