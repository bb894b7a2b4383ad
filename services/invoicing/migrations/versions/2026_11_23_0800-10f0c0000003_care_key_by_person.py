"""I-02 keyed by the person: invoices.person_id, invoice_lines.person_key and the index on it

Revision ID: 10f0c0000003
Revises: 10f0c0000002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000003"
down_revision: str | None = "10f0c0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACCEPTED = sa.text("status = 'accepted'")
_UNPAID = sa.text("status = 'accepted' AND payment_reference IS NULL")
_CARE = ["date_of_care", "code"]


def _partial_index(name: str, columns: list[str], where: sa.TextClause, unique: bool) -> None:
    op.create_index(
        name,
        "invoice_lines",
        columns,
        unique=unique,
        sqlite_where=where,
        postgresql_where=where,
    )


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("person_id", sa.String(33), nullable=True))
    # Partial indexes are dropped before SQLite's batch copy of the table and made again after
    # it, so they keep their WHERE clause.
    op.drop_index("uq_invoice_lines_accepted_care", table_name="invoice_lines")
    op.drop_index("ix_invoice_lines_unpaid", table_name="invoice_lines")
    with op.batch_alter_table("invoice_lines") as batch:
        batch.add_column(sa.Column("person_key", sa.String(40), nullable=True))
    # Every line so far was keyed by its number: pricing named no person yet.
    op.execute(
        "UPDATE invoice_lines SET person_key = 'ssin:' || COALESCE(ssin,"
        " (SELECT i.ssin FROM invoices i WHERE i.invoice_id = invoice_lines.invoice_id))"
    )
    with op.batch_alter_table("invoice_lines") as batch:
        batch.alter_column("person_key", existing_type=sa.String(40), nullable=False)
    _partial_index(
        "uq_invoice_lines_accepted_care", ["provider", "person_key", *_CARE], _ACCEPTED, True
    )
    _partial_index(
        "ix_invoice_lines_accepted_care_by_ssin", ["provider", "ssin", *_CARE], _ACCEPTED, False
    )
    _partial_index("ix_invoice_lines_unpaid", ["provider"], _UNPAID, False)


def downgrade() -> None:
    op.drop_index("ix_invoice_lines_accepted_care_by_ssin", table_name="invoice_lines")
    op.drop_index("uq_invoice_lines_accepted_care", table_name="invoice_lines")
    op.drop_index("ix_invoice_lines_unpaid", table_name="invoice_lines")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of `invoices` would drop a
    # table that invoice lines refer to.
    op.drop_column("invoice_lines", "person_key")
    op.drop_column("invoices", "person_id")
    _partial_index("uq_invoice_lines_accepted_care", ["provider", "ssin", *_CARE], _ACCEPTED, True)
    _partial_index("ix_invoice_lines_unpaid", ["provider"], _UNPAID, False)
