"""invoice_cancellations: lines a provider withdrew before payment, by request or by a
correcting invoice

Revision ID: 10f0c0000009
Revises: 10f0c0000008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000009"
down_revision: str | None = "10f0c0000008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoice_cancellations",
        sa.Column("cancellation_id", sa.String(36), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_numbers", sa.JSON, nullable=False),
        sa.Column("reason", sa.JSON, nullable=False),
        sa.Column("replaced_by", sa.String(36), nullable=True),
        sa.Column("invoice_status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("cancellation_id", name="pk_invoice_cancellations"),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.invoice_id"],
            name="fk_invoice_cancellations_invoice_id_invoices",
        ),
        sa.UniqueConstraint(
            "provider", "idempotency_key", name="uq_invoice_cancellations_provider_idempotency_key"
        ),
    )
    op.create_index("ix_invoice_cancellations_invoice_id", "invoice_cancellations", ["invoice_id"])


def downgrade() -> None:
    op.drop_table("invoice_cancellations")
