"""invoices.issued_on (C-02) and corrects_invoice_id; per line the health fund's share, the
urgent-aid certificate, and when it was paid with its submission-to-payment delay (I-05)

Revision ID: 10f0c0000005
Revises: 10f0c0000004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000005"
down_revision: str | None = "10f0c0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ISSUED_ON = {
    # Invoices received before the field existed were issued, as far as anyone knows, on the day
    # they were submitted: the day the service has always used for them.
    "postgresql": "CAST(submitted_at AT TIME ZONE 'UTC' AS DATE)",
    "sqlite": "substr(submitted_at, 1, 10)",
}
_SUBMITTED_AT = (
    "(SELECT i.submitted_at FROM invoices i WHERE i.invoice_id = invoice_lines.invoice_id)"
)
_DELAY_SECONDS = {
    "postgresql": f"CAST(FLOOR(EXTRACT(EPOCH FROM (paid_at - {_SUBMITTED_AT}))) AS BIGINT)",
    "sqlite": f"CAST(ROUND((julianday(paid_at) - julianday({_SUBMITTED_AT})) * 86400, 3)"
    " AS INTEGER)",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("invoices", sa.Column("issued_on", sa.Date, nullable=True))
    op.add_column("invoices", sa.Column("corrects_invoice_id", sa.String(36), nullable=True))
    op.execute(f"UPDATE invoices SET issued_on = {_ISSUED_ON[dialect]}")  # noqa: S608
    if dialect != "sqlite":
        # On SQLite the column stays nullable in the file: making it NOT NULL means copying
        # `invoices`, which invoice lines refer to. The service always sets it.
        op.alter_column("invoices", "issued_on", existing_type=sa.Date, nullable=False)
    for column in (
        sa.Column("health_fund_share", sa.BigInteger, nullable=True),
        sa.Column("certificate_number", sa.String(64), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_delay_seconds", sa.Integer, nullable=True),
    ):
        op.add_column("invoice_lines", column)
    # Lines paid so far: paid when their provider payment was made.
    op.execute(
        "UPDATE invoice_lines SET paid_at = (SELECT p.paid_at FROM provider_payments p"
        " WHERE p.payment_reference = invoice_lines.payment_reference)"
        " WHERE payment_reference IS NOT NULL"
    )
    op.execute(
        f"UPDATE invoice_lines SET payment_delay_seconds = {_DELAY_SECONDS[dialect]}"  # noqa: S608
        " WHERE paid_at IS NOT NULL"
    )
    op.create_index("ix_invoice_lines_paid_at", "invoice_lines", ["paid_at"])


def downgrade() -> None:
    op.drop_index("ix_invoice_lines_paid_at", table_name="invoice_lines")
    for name in ("payment_delay_seconds", "paid_at", "certificate_number", "health_fund_share"):
        op.drop_column("invoice_lines", name)
    op.drop_column("invoices", "corrects_invoice_id")
    op.drop_column("invoices", "issued_on")
