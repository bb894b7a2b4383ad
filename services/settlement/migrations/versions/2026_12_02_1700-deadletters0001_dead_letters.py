"""dead letters kept in the service's database; inbox entries indexed by age for retention;
job leases for the retention schedule

Revision ID: deadletters0001
Revises: 5e7700000005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit.migrations import create_dead_letters_table_v3, drop_dead_letters_table_v3
from servicekit.scheduling import create_job_leases_table_v1, drop_job_leases_table_v1

revision: str = "deadletters0001"
down_revision: str | None = "5e7700000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_dead_letters_table_v3()
    create_job_leases_table_v1()


def downgrade() -> None:
    drop_job_leases_table_v1()
    drop_dead_letters_table_v3()
