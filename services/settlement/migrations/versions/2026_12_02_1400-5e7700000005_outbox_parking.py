"""outbox rows the bus refuses for good are parked (parked_at, park_reason)

Revision ID: 5e7700000005
Revises: 5e7700000004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit.migrations import add_outbox_parking_v2, drop_outbox_parking_v2

revision: str = "5e7700000005"
down_revision: str | None = "5e7700000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_parking_v2()


def downgrade() -> None:
    drop_outbox_parking_v2()
