"""invoices naming an agreement number not seen yet wait for its consultation (C-02)

Revision ID: 7a7a00000005
Revises: 7a7a00000004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a7a00000005"
down_revision: str | None = "7a7a00000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoices_awaiting_agreement",
        sa.Column("invoice_id", sa.String(64), nullable=False),
        sa.Column("agreement_number", sa.String(64), nullable=False),
        sa.Column("invoice", sa.JSON, nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", name="pk_invoices_awaiting_agreement"),
    )
    op.create_index(
        "ix_invoices_awaiting_agreement_agreement_number",
        "invoices_awaiting_agreement",
        ["agreement_number"],
    )
    op.create_index(
        "ix_invoices_awaiting_agreement_waiting_since",
        "invoices_awaiting_agreement",
        ["waiting_since"],
    )


def downgrade() -> None:
    op.drop_table("invoices_awaiting_agreement")
