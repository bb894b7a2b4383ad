"""certificates keep their latest version (C-04); late notices to the funder (D-05)

Revision ID: 7a7a00000004
Revises: 7a7a00000003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a7a00000004"
down_revision: str | None = "7a7a00000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "funder_notices",
        sa.Column("invoice_id", sa.String(64), nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("date_of_care", sa.Date, nullable=False),
        sa.Column("decision_number", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("decision_date", sa.Date, nullable=False),
        sa.Column("ocmw", sa.String(10), nullable=False),
        sa.Column("days_after_care", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", "line_number", name="pk_funder_notices"),
    )
    op.create_index("ix_funder_notices_date_of_care", "funder_notices", ["date_of_care"])
    op.create_index("ix_funder_notices_ocmw_care", "funder_notices", ["ocmw", "date_of_care"])


def downgrade() -> None:
    op.drop_table("funder_notices")
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("version")
