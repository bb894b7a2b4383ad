"""decision read model follows the person: person id on versions, every number a decision named;
person id on consultations (D-08)

Revision ID: c0c0c0000003
Revises: c0c0c0000002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from mediprima_domain.migrations import (
    add_person_identity_to_decision_read_model,
    drop_person_identity_from_decision_read_model,
)

revision: str = "c0c0c0000003"
down_revision: str | None = "c0c0c0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_person_identity_to_decision_read_model(person_indexed_tables=["consultations"])


def downgrade() -> None:
    drop_person_identity_from_decision_read_model(person_indexed_tables=["consultations"])
