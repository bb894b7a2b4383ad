"""Alembic steps for the decision read model (`mediprima_domain.readmodel`), shared by the
services that keep it, so their tables stay alike."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


def add_person_identity_to_decision_read_model(
    *, person_indexed_tables: Sequence[str] = ()
) -> None:
    """Person id on `decision_versions`, the `decision_numbers` table filled from the versions
    already kept, and a person id column on each table in `person_indexed_tables`."""
    with op.batch_alter_table("decision_versions") as batch:
        batch.add_column(sa.Column("person_id", sa.String(40), nullable=True))
    op.create_index("ix_decision_versions_person_id", "decision_versions", ["person_id"])
    op.create_table(
        "decision_numbers",
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("decision_number", sa.String(12), nullable=False),
        sa.PrimaryKeyConstraint("ssin", "decision_number", name="pk_decision_numbers"),
    )
    op.execute(
        "INSERT INTO decision_numbers (ssin, decision_number) "
        "SELECT DISTINCT ssin, decision_number FROM decision_versions"
    )
    for table in person_indexed_tables:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("person_id", sa.String(40), nullable=True))
        op.create_index(f"ix_{table}_person_id", table, ["person_id"])


def drop_person_identity_from_decision_read_model(
    *, person_indexed_tables: Sequence[str] = ()
) -> None:
    for table in person_indexed_tables:
        op.drop_index(f"ix_{table}_person_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("person_id")
    op.drop_table("decision_numbers")
    op.drop_index("ix_decision_versions_person_id", "decision_versions")
    with op.batch_alter_table("decision_versions") as batch:
        batch.drop_column("person_id")
