"""urgent-aid certificates; care type and audit indexes on consultations

Revision ID: c0c0c0000002
Revises: c0c0c0000001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000002"
down_revision: str | None = "c0c0c0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("care_type", sa.String(40), nullable=True))
    op.create_index(
        "ix_consultations_provider_consulted_at", "consultations", ["provider", "consulted_at"]
    )
    op.create_index("ix_consultations_ssin_consulted_at", "consultations", ["ssin", "consulted_at"])
    op.create_table(
        "urgent_aid_certificates",
        sa.Column("certificate_number", sa.String(12), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("care_type", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("certificate_number", name="pk_urgent_aid_certificates"),
    )
    op.create_index("ix_urgent_aid_certificates_ssin", "urgent_aid_certificates", ["ssin"])
    op.create_index("ix_urgent_aid_certificates_provider", "urgent_aid_certificates", ["provider"])


def downgrade() -> None:
    op.drop_table("urgent_aid_certificates")
    op.drop_index("ix_consultations_ssin_consulted_at", "consultations")
    op.drop_index("ix_consultations_provider_consulted_at", "consultations")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("care_type")
