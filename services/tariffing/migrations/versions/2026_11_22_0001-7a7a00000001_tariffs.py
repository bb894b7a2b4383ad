"""tariffs, decision read model, outbox and inbox

Revision ID: 7a7a00000001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit.migrations import create_messaging_tables_v1

revision: str = "7a7a00000001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CENTS = sa.BigInteger()


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "tariffs",
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("fee", _CENTS, nullable=False),
        sa.Column("reimbursement", _CENTS, nullable=False),
        sa.Column("reimbursement_preferential", _CENTS, nullable=False),
        sa.Column("patient_share", _CENTS, nullable=False),
        sa.Column("provider_types", sa.String(100), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("code", "valid_from", name="pk_tariffs"),
    )
    op.create_table(
        "decision_versions",
        sa.Column("decision_number", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("decision_number", "version", name="pk_decision_versions"),
    )
    op.create_index("ix_decision_versions_ssin", "decision_versions", ["ssin"])


def downgrade() -> None:
    op.drop_table("decision_versions")
    op.drop_table("tariffs")
    op.drop_table("inbox")
    op.drop_table("outbox")
