"""C-03: the OCMW of the decision a consultation's answer named, which reads that trail

Revision ID: c0c0c0000007
Revises: c0c0c0000006
Create Date: 2026-12-02

Consultations recorded before this revision keep no OCMW: their answer is copied whole in
`answer`, whose `ocmw` is filled in from it here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000007"
down_revision: str | None = "c0c0c0000006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("consultations", sa.Column("ocmw", sa.String(10), nullable=True))
    op.create_index("ix_consultations_ocmw_consulted_at", "consultations", ["ocmw", "consulted_at"])
    consultations = sa.table(
        "consultations", sa.column("ocmw", sa.String), sa.column("answer", sa.JSON)
    )
    enterprise_number = (
        consultations.c.answer["ocmw"]["enterprise_number"].as_string()
        if op.get_bind().dialect.name == "postgresql"
        else sa.func.json_extract(consultations.c.answer, "$.ocmw.enterprise_number")
    )
    op.execute(consultations.update().values(ocmw=enterprise_number))


def downgrade() -> None:
    op.drop_index("ix_consultations_ocmw_consulted_at", table_name="consultations")
    op.drop_column("consultations", "ocmw")
