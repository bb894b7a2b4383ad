"""dead letters kept in the service's database; inbox entries indexed by age for retention

Revision ID: deadletters0001
Revises: 10f0c0000011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit.migrations import create_dead_letters_table_v3, drop_dead_letters_table_v3

revision: str = "deadletters0001"
down_revision: str | None = "10f0c0000011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_dead_letters_table_v3()


def downgrade() -> None:
    drop_dead_letters_table_v3()
