"""ledger of paid lines, settlements, outbox and inbox

Revision ID: 5e7700000001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit.migrations import create_messaging_tables_v1

revision: str = "5e7700000001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CENTS = sa.BigInteger()


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("ocmw", sa.String(10), nullable=False),
        sa.Column("decision_number", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("urgent_medical_aid", sa.Boolean, nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("date_of_care", sa.Date, nullable=False),
        sa.Column("state_share", _CENTS, nullable=False),
        sa.Column("ocmw_share", _CENTS, nullable=False),
        sa.Column("patient_share", _CENTS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_lines"),
        sa.UniqueConstraint(
            "payment_reference", "line_number", name="uq_ledger_lines_payment_reference"
        ),
    )
    op.create_index("ix_ledger_lines_month", "ledger_lines", ["month"])
    op.create_table(
        "settlements",
        sa.Column("settlement_id", sa.String(36), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totals", sa.JSON, nullable=False),
        sa.Column("per_ocmw", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("settlement_id", name="pk_settlements"),
        sa.UniqueConstraint("month", name="uq_settlements_month"),
    )


def downgrade() -> None:
    op.drop_table("settlements")
    op.drop_table("ledger_lines")
    op.drop_table("inbox")
    op.drop_table("outbox")
