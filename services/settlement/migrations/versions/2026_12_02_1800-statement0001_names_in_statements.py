"""the person of each decision as its OCMW knows them (decision_persons) and the names a
month's statements show, frozen by its runs (statement_names); both an OCMW's own rows

Revision ID: statement0001
Revises: deadletters0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit import rowsecurity
from servicekit.auth import Role

revision: str = "statement0001"
down_revision: str | None = "deadletters0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Filled from the decision events the service consumes from here on; a month run before
    # they arrive shows its lines' numbers with empty names.
    op.create_table(
        "decision_persons",
        sa.Column("decision_number", sa.String(20), primary_key=True),
        sa.Column("ocmw", sa.String(10), nullable=False, index=True),
        sa.Column("decision_version", sa.Integer, nullable=False),
        sa.Column("last_name", sa.String(200), nullable=False),
        sa.Column("first_name", sa.String(200), nullable=False),
    )
    op.create_table(
        "statement_names",
        sa.Column("settlement_id", sa.String(36), primary_key=True),
        sa.Column("ocmw", sa.String(10), primary_key=True),
        sa.Column("decision_number", sa.String(20), primary_key=True),
        sa.Column("last_name", sa.String(200), nullable=False),
        sa.Column("first_name", sa.String(200), nullable=False),
    )
    rowsecurity.enable_v1("decision_persons", {Role.OCMW: "ocmw"})
    rowsecurity.enable_v1("statement_names", {Role.OCMW: "ocmw"})


def downgrade() -> None:
    rowsecurity.disable_v1("statement_names")
    rowsecurity.disable_v1("decision_persons")
    op.drop_table("statement_names")
    op.drop_table("decision_persons")
