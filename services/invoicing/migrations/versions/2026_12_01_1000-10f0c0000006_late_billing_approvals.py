"""late_billing_approvals: the funder's written approvals to pay care billed after 2 years (I-04)

Revision ID: 10f0c0000006
Revises: 10f0c0000005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000006"
down_revision: str | None = "10f0c0000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "late_billing_approvals",
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("person_id", sa.String(33), nullable=True),
        sa.Column("care_from", sa.Date, nullable=False),
        sa.Column("care_until", sa.Date, nullable=False),
        sa.Column("approved_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("reference", name="pk_late_billing_approvals"),
    )
    op.create_index(
        "ix_late_billing_approvals_provider_ssin", "late_billing_approvals", ["provider", "ssin"]
    )
    op.create_index("ix_late_billing_approvals_person_id", "late_billing_approvals", ["person_id"])


def downgrade() -> None:
    op.drop_table("late_billing_approvals")
