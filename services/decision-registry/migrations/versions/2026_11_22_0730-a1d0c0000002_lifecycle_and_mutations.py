"""decision life cycle: policy version and reason per version; register mutations

Revision ID: a1d0c0000002
Revises: a1d0c0000001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1d0c0000002"
down_revision: str | None = "a1d0c0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("decision_versions") as batch:
        batch.add_column(sa.Column("refund_policy_version", sa.String(20), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text, nullable=True))
    op.create_table(
        "register_mutations",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("decision_id", _ID, nullable=False),
        sa.Column("mutation_key", sa.String(64), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("new_ssin", sa.String(11), nullable=True),
        sa.Column("new_last_name", sa.String(200), nullable=True),
        sa.Column("new_first_name", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_register_mutations"),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name="fk_register_mutations_decision_id_decisions"
        ),
        sa.UniqueConstraint(
            "decision_id", "mutation_key", name="uq_register_mutations_decision_id_mutation_key"
        ),
    )
    op.create_index("ix_register_mutations_decision_id", "register_mutations", ["decision_id"])


def downgrade() -> None:
    op.drop_index("ix_register_mutations_decision_id", "register_mutations")
    op.drop_table("register_mutations")
    with op.batch_alter_table("decision_versions") as batch:
        batch.drop_column("reason")
        batch.drop_column("refund_policy_version")
