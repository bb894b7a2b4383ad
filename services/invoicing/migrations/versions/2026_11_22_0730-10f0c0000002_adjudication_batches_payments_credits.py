"""duplicate guard on accepted lines, batches, one payment per provider per run, credits

Revision ID: 10f0c0000002
Revises: 10f0c0000001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000002"
down_revision: str | None = "10f0c0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CENTS = sa.BigInteger()
_ACCEPTED = sa.text("status = 'accepted'")


def upgrade() -> None:
    # Provider and person copied onto each line so one partial unique index can refuse a second
    # accepted line for the same care (I-02), even when two consumers race.
    with op.batch_alter_table("invoice_lines") as batch:
        batch.add_column(sa.Column("provider", sa.String(11), nullable=True))
        batch.add_column(sa.Column("ssin", sa.String(11), nullable=True))
        batch.add_column(sa.Column("credit_reference", sa.String(40), nullable=True))
    op.execute(
        "UPDATE invoice_lines SET"
        " provider = (SELECT i.provider FROM invoices i"
        " WHERE i.invoice_id = invoice_lines.invoice_id),"
        " ssin = (SELECT i.ssin FROM invoices i WHERE i.invoice_id = invoice_lines.invoice_id)"
    )
    op.create_index(
        "uq_invoice_lines_accepted_care",
        "invoice_lines",
        ["provider", "ssin", "date_of_care", "code"],
        unique=True,
        sqlite_where=_ACCEPTED,
        postgresql_where=_ACCEPTED,
    )
    op.create_index(
        "ix_invoice_lines_unpaid",
        "invoice_lines",
        ["provider"],
        sqlite_where=sa.text("status = 'accepted' AND payment_reference IS NULL"),
        postgresql_where=sa.text("status = 'accepted' AND payment_reference IS NULL"),
    )
    op.create_table(
        "invoice_batches",
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("batch_id", name="pk_invoice_batches"),
        sa.UniqueConstraint(
            "provider", "idempotency_key", name="uq_invoice_batches_provider_idempotency_key"
        ),
    )
    op.create_table(
        "provider_payments",
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("payment_reference", name="pk_provider_payments"),
        sa.UniqueConstraint("run_id", "provider", name="uq_provider_payments_run_id_provider"),
    )
    op.create_index("ix_provider_payments_provider", "provider_payments", ["provider"])
    op.create_table(
        "invoice_payments",
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("payment_reference", "invoice_id", name="pk_invoice_payments"),
    )
    op.create_index("ix_invoice_payments_invoice_id", "invoice_payments", ["invoice_id"])
    # The skeleton paid per invoice: each of its payments becomes a provider payment of one
    # invoice, so nothing paid before is lost or paid again.
    op.execute(
        "INSERT INTO provider_payments (payment_reference, run_id, provider, amount, paid_at) "
        "SELECT payment_reference, run_id, provider, amount, paid_at FROM payments"
    )
    op.execute(
        "INSERT INTO invoice_payments (payment_reference, invoice_id, amount, paid_at) "
        "SELECT payment_reference, invoice_id, amount, paid_at FROM payments"
    )
    op.drop_table("payments")
    with op.batch_alter_table("payment_runs") as batch:
        batch.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="finished")
        )
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "invoice_credits",
        sa.Column("credit_reference", sa.String(40), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("credited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payment_reference", sa.String(40), nullable=True),
        sa.Column("line_numbers", sa.JSON, nullable=False),
        sa.Column("reason", sa.JSON, nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.PrimaryKeyConstraint("credit_reference", name="pk_invoice_credits"),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.invoice_id"], name="fk_invoice_credits_invoice_id_invoices"
        ),
    )
    op.create_index("ix_invoice_credits_invoice_id", "invoice_credits", ["invoice_id"])


def downgrade() -> None:
    op.drop_table("invoice_credits")
    with op.batch_alter_table("payment_runs") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("status")
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
    op.drop_table("invoice_payments")
    op.drop_table("provider_payments")
    op.drop_table("invoice_batches")
    op.drop_index("ix_invoice_lines_unpaid", table_name="invoice_lines")
    op.drop_index("uq_invoice_lines_accepted_care", table_name="invoice_lines")
    with op.batch_alter_table("invoice_lines") as batch:
        batch.drop_column("credit_reference")
        batch.drop_column("ssin")
        batch.drop_column("provider")
