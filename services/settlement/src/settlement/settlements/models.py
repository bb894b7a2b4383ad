from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from settlement.db import Base


class Settlement(Base):
    """A month's settlement: open while it may be recomputed, closed for good (S-04)."""

    __tablename__ = "settlements"

    settlement_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    status: Mapped[str] = mapped_column(String(10))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totals: Mapped[dict[str, object]] = mapped_column(JSON)
    per_ocmw: Mapped[list[dict[str, object]]] = mapped_column(JSON)
