from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import Base


class DecisionVersionView(Base):
    """Every decision version seen on the bus; older ones back the 30-day guarantee (C-02)."""

    __tablename__ = "decision_versions"

    decision_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    status: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
