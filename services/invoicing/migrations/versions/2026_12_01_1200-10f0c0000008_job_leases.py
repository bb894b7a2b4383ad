"""job_leases: which instance runs the scheduled payment run (servicekit.scheduling)

Revision ID: 10f0c0000008
Revises: 10f0c0000007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from servicekit.scheduling import create_job_leases_table_v1, drop_job_leases_table_v1

revision: str = "10f0c0000008"
down_revision: str | None = "10f0c0000007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_job_leases_table_v1()


def downgrade() -> None:
    drop_job_leases_table_v1()
