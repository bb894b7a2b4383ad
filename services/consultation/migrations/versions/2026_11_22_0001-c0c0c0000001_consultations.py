"""decision read model, consultations, outbox and inbox

Revision ID: c0c0c0000001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit.migrations import create_messaging_tables_v1

revision: str = "c0c0c0000001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1()
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
    op.create_table(
        "consultations",
        sa.Column("consultation_id", sa.String(36), nullable=False),
        sa.Column("agreement_number", sa.String(12), nullable=True),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("care_date", sa.Date, nullable=False),
        sa.Column("consulted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreement_valid_until", sa.Date, nullable=True),
        sa.Column("covered", sa.Boolean, nullable=False),
        sa.Column("decision_number", sa.String(12), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("consultation_id", name="pk_consultations"),
        sa.UniqueConstraint("agreement_number", name="uq_consultations_agreement_number"),
    )
    op.create_index("ix_consultations_provider", "consultations", ["provider"])
    op.create_index("ix_consultations_ssin", "consultations", ["ssin"])


def downgrade() -> None:
    op.drop_table("consultations")
    op.drop_table("decision_versions")
    op.drop_table("inbox")
    op.drop_table("outbox")
