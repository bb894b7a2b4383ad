from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.readmodel import VersionedSnapshot
from tariffing.db import Base


class DecisionVersionView(VersionedSnapshot, Base):
    """Every decision version seen on the bus."""

    __tablename__ = "decision_versions"

    decision_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), index=True)
    status: Mapped[str] = mapped_column(String(20))
