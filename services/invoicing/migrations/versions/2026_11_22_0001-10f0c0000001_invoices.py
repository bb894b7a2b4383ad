"""invoices, lines, status history, payments, outbox and inbox

Revision ID: 10f0c0000001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from servicekit.migrations import create_messaging_tables_v1

revision: str = "10f0c0000001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CENTS = sa.BigInteger()


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "invoices",
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("agreement_number", sa.String(12), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", name="pk_invoices"),
        sa.UniqueConstraint(
            "provider", "idempotency_key", name="uq_invoices_provider_idempotency_key"
        ),
    )
    op.create_index("ix_invoices_provider", "invoices", ["provider"])
    op.create_index("ix_invoices_status", "invoices", ["status"])
    op.create_index("ix_invoices_submitted_at", "invoices", ["submitted_at"])
    op.create_table(
        "invoice_lines",
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("date_of_care", sa.Date, nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("state_share", _CENTS, nullable=True),
        sa.Column("ocmw_share", _CENTS, nullable=True),
        sa.Column("patient_share", _CENTS, nullable=True),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("decision_number", sa.String(12), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("ocmw", sa.String(10), nullable=True),
        sa.Column("urgent_medical_aid", sa.Boolean, nullable=False),
        sa.Column("payment_reference", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("invoice_id", "line_number", name="pk_invoice_lines"),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.invoice_id"], name="fk_invoice_lines_invoice_id_invoices"
        ),
    )
    op.create_index("ix_invoice_lines_payment_reference", "invoice_lines", ["payment_reference"])
    op.create_table(
        "invoice_status_history",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_status_history"),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.invoice_id"],
            name="fk_invoice_status_history_invoice_id_invoices",
        ),
    )
    op.create_index(
        "ix_invoice_status_history_invoice_id", "invoice_status_history", ["invoice_id"]
    )
    op.create_table(
        "payments",
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("payment_reference", name="pk_payments"),
    )
    op.create_index("ix_payments_run_id", "payments", ["run_id"])
    op.create_index("ix_payments_provider", "payments", ["provider"])
    op.create_index("ix_payments_invoice_id", "payments", ["invoice_id"])
    op.create_table(
        "payment_runs",
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_invoices", sa.Integer, nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_payment_runs"),
    )


def downgrade() -> None:
    for table in (
        "payment_runs",
        "payments",
        "invoice_status_history",
        "invoice_lines",
        "invoices",
    ):
        op.drop_table(table)
    op.drop_table("inbox")
    op.drop_table("outbox")
