"""invoice_lines.admission_date: the admission day of the hospital stay a line belongs to

Revision ID: 10f0c0000004
Revises: 10f0c0000003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000004"
down_revision: str | None = "10f0c0000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Optional and unknown for lines received so far: nothing to backfill.
    op.add_column("invoice_lines", sa.Column("admission_date", sa.Date, nullable=True))


def downgrade() -> None:
    op.drop_column("invoice_lines", "admission_date")
