"""C-04: the OCMW covering the person a certificate read was about, which reads that trail

Revision ID: c0c0c0000008
Revises: c0c0c0000007
Create Date: 2026-12-02

Reads recorded before this revision keep no OCMW: operators still see them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000008"
down_revision: str | None = "c0c0c0000007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("certificate_reads", sa.Column("ocmw", sa.String(10), nullable=True))
    op.create_index("ix_certificate_reads_ocmw_read_at", "certificate_reads", ["ocmw", "read_at"])


def downgrade() -> None:
    op.drop_index("ix_certificate_reads_ocmw_read_at", table_name="certificate_reads")
    op.drop_column("certificate_reads", "ocmw")
