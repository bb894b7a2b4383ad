"""every pricing simulation about a person is recorded: who, when, the covering OCMW

Revision ID: 7a7a00000006
Revises: 7a7a00000005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a7a00000006"
down_revision: str | None = "7a7a00000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_reads",
        sa.Column("read_id", sa.String(36), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reader_role", sa.String(16), nullable=False),
        sa.Column("reader", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(64), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("person_id", sa.String(40), nullable=True),
        sa.Column("ocmw", sa.String(10), nullable=True),
        sa.PrimaryKeyConstraint("read_id", name="pk_person_reads"),
    )
    op.create_index("ix_person_reads_read_at", "person_reads", ["read_at"])
    op.create_index("ix_person_reads_ssin", "person_reads", ["ssin"])
    op.create_index("ix_person_reads_ocmw", "person_reads", ["ocmw"])


def downgrade() -> None:
    op.drop_table("person_reads")
