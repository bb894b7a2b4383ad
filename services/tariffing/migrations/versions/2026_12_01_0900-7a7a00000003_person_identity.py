"""pricing follows the person: the decision read model by person and number, person id on
agreements and priced invoices, the monthly cap counted per person (D-08, T-03)

Revision ID: 7a7a00000003
Revises: 7a7a00000002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mediprima_domain.migrations import (
    add_person_identity_to_decision_read_model,
    drop_person_identity_from_decision_read_model,
)

revision: str = "7a7a00000003"
down_revision: str | None = "7a7a00000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_person_identity_to_decision_read_model()
    for table in ("consultations", "priced_invoices"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("person_id", sa.String(40), nullable=True))
    with op.batch_alter_table("ocmw_copayments") as batch:
        batch.add_column(sa.Column("person_key", sa.String(40), nullable=True))
    op.execute("UPDATE ocmw_copayments SET person_key = 'ssin:' || ssin")
    with op.batch_alter_table("ocmw_copayments") as batch:
        batch.alter_column("person_key", existing_type=sa.String(40), nullable=False)
    op.create_index("ix_ocmw_copayments_person_key", "ocmw_copayments", ["person_key"])


def downgrade() -> None:
    op.drop_index("ix_ocmw_copayments_person_key", "ocmw_copayments")
    with op.batch_alter_table("ocmw_copayments") as batch:
        batch.drop_column("person_key")
    for table in ("consultations", "priced_invoices"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("person_id")
    drop_person_identity_from_decision_read_model()
