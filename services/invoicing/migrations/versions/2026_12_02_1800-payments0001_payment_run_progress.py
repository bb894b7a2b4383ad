"""payment runs record their progress: providers to pay and providers paid so far, and when
the run last moved

Revision ID: payments0001
Revises: deadletters0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payments0001"
down_revision: str | None = "deadletters0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Earlier runs counted what they paid only at the end: their providers come from the ledger.
_COUNT_FROM_LEDGER = (
    "UPDATE payment_runs SET providers_paid = (SELECT count(*) FROM provider_payments"
    " WHERE provider_payments.run_id = payment_runs.run_id),"
    " providers_to_pay = (SELECT count(*) FROM provider_payments"
    " WHERE provider_payments.run_id = payment_runs.run_id)"
)


def upgrade() -> None:
    with op.batch_alter_table("payment_runs") as batch:
        batch.add_column(
            sa.Column("providers_to_pay", sa.Integer, nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("providers_paid", sa.Integer, nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("progressed_at", sa.DateTime(timezone=True)))
    op.execute(_COUNT_FROM_LEDGER)
    op.execute("UPDATE payment_runs SET progressed_at = COALESCE(finished_at, started_at)")
    op.create_index("ix_payment_runs_started_at", "payment_runs", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_payment_runs_started_at", table_name="payment_runs")
    with op.batch_alter_table("payment_runs") as batch:
        batch.drop_column("progressed_at")
        batch.drop_column("providers_paid")
        batch.drop_column("providers_to_pay")
