"""I-06 billing route: GPs' exemption declarations recorded by OCMWs, provider kinds

Revision ID: c0c0c0000004
Revises: c0c0c0000003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000004"
down_revision: str | None = "c0c0c0000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "billing_exemptions",
        sa.Column("exemption_id", sa.String(36), nullable=False),
        sa.Column("ocmw", sa.String(10), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("declared_on", sa.Date, nullable=False),
        sa.Column("document_reference", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("exemption_id", name="pk_billing_exemptions"),
        sa.UniqueConstraint(
            "ocmw", "document_reference", name="uq_billing_exemptions_ocmw_document_reference"
        ),
    )
    op.create_index(
        "ix_billing_exemptions_provider_ocmw", "billing_exemptions", ["provider", "ocmw"]
    )
    op.create_table(
        "provider_kinds",
        sa.Column("riziv_number", sa.String(11), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("riziv_number", name="pk_provider_kinds"),
    )


def downgrade() -> None:
    op.drop_table("provider_kinds")
    op.drop_index("ix_billing_exemptions_provider_ocmw", "billing_exemptions")
    op.drop_table("billing_exemptions")
