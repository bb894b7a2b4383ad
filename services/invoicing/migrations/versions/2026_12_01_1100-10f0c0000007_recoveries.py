"""recoveries (I-05): what a provider owes back for credited paid lines, the offsets payments
took, and per provider payment its lines' amount, what it recovered and the balance carried

Revision ID: 10f0c0000007
Revises: 10f0c0000006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "10f0c0000007"
down_revision: str | None = "10f0c0000006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CENTS = sa.BigInteger()
_NEW_COLUMNS = ("lines_amount", "recovered", "balance_owed")


def upgrade() -> None:
    with op.batch_alter_table("provider_payments") as batch:
        for name in _NEW_COLUMNS:
            batch.add_column(sa.Column(name, _CENTS, nullable=True))
    # Payments so far recovered nothing: they transferred exactly what their lines were owed.
    op.execute(
        "UPDATE provider_payments SET lines_amount = amount, recovered = 0, balance_owed = 0"
    )
    with op.batch_alter_table("provider_payments") as batch:
        for name in _NEW_COLUMNS:
            batch.alter_column(name, existing_type=_CENTS, nullable=False)
    op.create_table(
        "recoveries",
        sa.Column("credit_reference", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(11), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.Column("outstanding", _CENTS, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("credit_reference", name="pk_recoveries"),
    )
    op.create_index("ix_recoveries_provider", "recoveries", ["provider"])
    op.create_table(
        "recovery_offsets",
        sa.Column("payment_reference", sa.String(40), nullable=False),
        sa.Column("credit_reference", sa.String(40), nullable=False),
        sa.Column("amount", _CENTS, nullable=False),
        sa.PrimaryKeyConstraint(
            "payment_reference", "credit_reference", name="pk_recovery_offsets"
        ),
        sa.ForeignKeyConstraint(
            ["credit_reference"],
            ["recoveries.credit_reference"],
            name="fk_recovery_offsets_credit_reference_recoveries",
        ),
    )
    op.create_index(
        "ix_recovery_offsets_credit_reference", "recovery_offsets", ["credit_reference"]
    )


def downgrade() -> None:
    op.drop_table("recovery_offsets")
    op.drop_table("recoveries")
    with op.batch_alter_table("provider_payments") as batch:
        for name in _NEW_COLUMNS:
            batch.drop_column(name)
