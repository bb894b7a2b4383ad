"""C-04 certificates: every version kept, the paid lines relying on a certificate

Revision ID: c0c0c0000005
Revises: c0c0c0000004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0c0c0000005"
down_revision: str | None = "c0c0c0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("urgent_aid_certificates") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("relied_on_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "urgent_aid_certificate_versions",
        sa.Column("certificate_number", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("care_type", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "certificate_number", "version", name="pk_urgent_aid_certificate_versions"
        ),
    )
    # Certificates filed before versions were kept become their own version 1.
    op.execute(
        "INSERT INTO urgent_aid_certificate_versions "
        "(certificate_number, version, ssin, care_type, valid_from, valid_until, filed_at) "
        "SELECT certificate_number, 1, ssin, care_type, valid_from, valid_until, registered_at "
        "FROM urgent_aid_certificates"
    )
    op.create_table(
        "certificate_reliances",
        sa.Column("invoice_id", sa.String(64), nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("certificate_number", sa.String(12), nullable=False),
        sa.Column("date_of_care", sa.Date, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", "line_number", name="pk_certificate_reliances"),
    )
    op.create_index(
        "ix_certificate_reliances_certificate_number",
        "certificate_reliances",
        ["certificate_number"],
    )


def downgrade() -> None:
    op.drop_index("ix_certificate_reliances_certificate_number", "certificate_reliances")
    op.drop_table("certificate_reliances")
    op.drop_table("urgent_aid_certificate_versions")
    with op.batch_alter_table("urgent_aid_certificates") as batch:
        batch.drop_column("relied_on_at")
        batch.drop_column("corrected_at")
        batch.drop_column("version")
