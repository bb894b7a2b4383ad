"""C-04: the record of certificate reads by someone other than their author

Revision ID: c0c0c0000006
Revises: c0c0c0000005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000006"
down_revision: str | None = "c0c0c0000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificate_reads",
        sa.Column("read_id", sa.String(36), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reader", sa.String(100), nullable=False),
        sa.Column("reader_role", sa.String(20), nullable=False),
        sa.Column("endpoint", sa.String(40), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("certificate_numbers", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("read_id", name="pk_certificate_reads"),
    )
    op.create_index("ix_certificate_reads_read_at", "certificate_reads", ["read_at"])
    op.create_index("ix_certificate_reads_ssin_read_at", "certificate_reads", ["ssin", "read_at"])
    op.create_index(
        "ix_certificate_reads_reader_read_at", "certificate_reads", ["reader", "read_at"]
    )


def downgrade() -> None:
    op.drop_table("certificate_reads")
