"""decisions and their versions, outbox and inbox

Revision ID: a1d0c0000001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit.migrations import create_messaging_tables_v1

revision: str = "a1d0c0000001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "decisions",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("decision_number", sa.String(12), nullable=True),
        sa.Column("ocmw_enterprise_number", sa.String(10), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.UniqueConstraint("decision_number", name="uq_decisions_decision_number"),
    )
    op.create_index("ix_decisions_ocmw_enterprise_number", "decisions", ["ocmw_enterprise_number"])
    op.create_index("ix_decisions_ssin", "decisions", ["ssin"])
    op.create_table(
        "decision_versions",
        sa.Column("decision_id", _ID, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("change_kind", sa.String(20), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("decision_id", "version", name="pk_decision_versions"),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name="fk_decision_versions_decision_id_decisions"
        ),
    )


def downgrade() -> None:
    op.drop_table("decision_versions")
    op.drop_table("decisions")
    op.drop_table("inbox")
    op.drop_table("outbox")
