"""ledger credits and booking references, OCMW directory, settlement reports and checksums

Revision ID: 5e7700000002
Revises: 5e7700000001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e7700000002"
down_revision: str | None = "5e7700000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.alter_column("paid_at", new_column_name="booked_at")
        batch.add_column(sa.Column("kind", sa.String(6), nullable=False, server_default="paid"))
        batch.add_column(sa.Column("booking_reference", sa.String(40), nullable=True))
    op.execute("UPDATE ledger_lines SET booking_reference = payment_reference")
    with op.batch_alter_table("ledger_lines") as batch:
        batch.alter_column("booking_reference", existing_type=sa.String(40), nullable=False)
        batch.drop_constraint("uq_ledger_lines_payment_reference", type_="unique")
        batch.create_unique_constraint(
            "uq_ledger_lines_booking_reference", ["booking_reference", "line_number"]
        )
    op.create_index("ix_ledger_lines_month_ocmw", "ledger_lines", ["month", "ocmw"])
    with op.batch_alter_table("settlements") as batch:
        batch.add_column(sa.Column("ledger_watermark", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("report", sa.JSON, nullable=True))
        batch.add_column(sa.Column("file_checksums", sa.JSON, nullable=True))
    op.create_table(
        "ocmw_directory",
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("municipality_nis", sa.String(5), nullable=False),
        sa.Column("name_nl", sa.String(200), nullable=True),
        sa.Column("name_fr", sa.String(200), nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_number", name="pk_ocmw_directory"),
    )


def downgrade() -> None:
    op.drop_table("ocmw_directory")
    with op.batch_alter_table("settlements") as batch:
        batch.drop_column("file_checksums")
        batch.drop_column("report")
        batch.drop_column("ledger_watermark")
    op.drop_index("ix_ledger_lines_month_ocmw", table_name="ledger_lines")
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint("uq_ledger_lines_booking_reference", type_="unique")
        batch.create_unique_constraint(
            "uq_ledger_lines_payment_reference", ["payment_reference", "line_number"]
        )
        batch.drop_column("booking_reference")
        batch.drop_column("kind")
        batch.alter_column("booked_at", new_column_name="paid_at")
