"""a paid line is one per payment, invoice and line number: a provider's payment pays several
invoices, each with its line 1 (the earlier key dropped all but one of them)

Revision ID: 5e7700000004
Revises: 5e7700000003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e7700000004"
down_revision: str | None = "5e7700000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint("uq_ledger_lines_booking_reference", type_="unique")
        batch.create_unique_constraint(
            "uq_ledger_lines_booking_reference",
            ["booking_reference", "invoice_id", "line_number"],
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint("uq_ledger_lines_booking_reference", type_="unique")
        batch.create_unique_constraint(
            "uq_ledger_lines_booking_reference", ["booking_reference", "line_number"]
        )
