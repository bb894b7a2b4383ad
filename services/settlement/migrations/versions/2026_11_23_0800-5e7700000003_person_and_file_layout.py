"""ledger_lines.person_id (statements total per person), settlements.file_layout

Revision ID: 5e7700000003
Revises: 5e7700000002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e7700000003"
down_revision: str | None = "5e7700000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Lines booked so far name no person: statements keep totalling them by their number.
    op.add_column("ledger_lines", sa.Column("person_id", sa.String(33), nullable=True))
    # Months computed so far were written in layout 1; a closed one keeps it for good.
    op.add_column(
        "settlements", sa.Column("file_layout", sa.Integer, nullable=False, server_default="1")
    )


def downgrade() -> None:
    op.drop_column("settlements", "file_layout")
    op.drop_column("ledger_lines", "person_id")
