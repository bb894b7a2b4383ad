"""consultations (agreements), certificates, priced invoices and the OCMW's copayments

Revision ID: 7a7a00000002
Revises: 7a7a00000001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a7a00000002"
down_revision: str | None = "7a7a00000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("consultation_id", sa.String(64), nullable=False),
        sa.Column("agreement_number", sa.String(64), nullable=True),
        sa.Column("agreement_valid_until", sa.Date, nullable=True),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("care_date", sa.Date, nullable=False),
        sa.Column("covered", sa.Boolean, nullable=False),
        sa.Column("decision_number", sa.String(20), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("consulted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consultation_id", name="pk_consultations"),
    )
    op.create_index("ix_consultations_agreement_number", "consultations", ["agreement_number"])
    op.create_index("ix_consultations_ssin", "consultations", ["ssin"])
    op.create_table(
        "certificates",
        sa.Column("certificate_number", sa.String(64), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("care_type", sa.String(30), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("certificate_number", name="pk_certificates"),
    )
    op.create_index("ix_certificates_ssin", "certificates", ["ssin"])
    op.create_table(
        "priced_invoices",
        sa.Column("invoice_id", sa.String(64), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("priced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", name="pk_priced_invoices"),
    )
    op.create_table(
        "ocmw_copayments",
        sa.Column("invoice_id", sa.String(64), nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", "line_number", name="pk_ocmw_copayments"),
    )
    op.create_index("ix_ocmw_copayments_ssin", "ocmw_copayments", ["ssin"])


def downgrade() -> None:
    op.drop_table("ocmw_copayments")
    op.drop_table("priced_invoices")
    op.drop_table("certificates")
    op.drop_table("consultations")
