from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.utc_column import UtcDateTime
from settlement.db import Base

OPEN = "open"
CLOSED = "closed"


class Settlement(Base):
    """A month's settlement: open while it may be recomputed, closed for good (S-04).

    `ledger_watermark` is the highest ledger id the last run saw: the files of an open month are
    rebuilt from exactly those lines, so they match the run's reconciliation report. `per_ocmw`
    keeps each OCMW's name and language as they were at the run, and `file_layout` the layout
    its files were written in, so a closed month's statements never change.
    """

    __tablename__ = "settlements"

    settlement_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    status: Mapped[str] = mapped_column(String(10))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)
    per_ocmw: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    ledger_watermark: Mapped[int | None] = mapped_column(BigInteger)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    file_checksums: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # Layout of the month's files (settlement.settlements.files.layout): a run writes the
    # current one; a closed month keeps the one it was closed with, byte for byte.
    file_layout: Mapped[int] = mapped_column(Integer, server_default="1")


class StatementName(Base):
    """A person's name as a month's statements show it, frozen by each run of the month (the
    close's last one included) from the decisions seen by then: a closed month's files never
    change when a decision renames its person later. An OCMW's own data (`ocmw`)."""

    __tablename__ = "statement_names"

    settlement_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ocmw: Mapped[str] = mapped_column(String(10), primary_key=True)
    decision_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(200))
