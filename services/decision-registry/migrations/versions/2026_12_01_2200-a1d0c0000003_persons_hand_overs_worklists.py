"""persons and their numbers (D-08), hand-overs (D-14), decision columns for overlaps and
worklists; one person per distinct SSIN of the decisions filed so far

On SQLite the new decision columns stay nullable and without a foreign key: changing that there
rebuilds `decisions`, which other tables reference. PostgreSQL enforces both.

Revision ID: a1d0c0000003
Revises: a1d0c0000002
Create Date: 2026-12-01
"""

import calendar
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "a1d0c0000003"
down_revision: str | None = "a1d0c0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_COLUMNS = (
    "person_id",
    "period_start",
    "period_end",
    "last_name",
    "first_name",
    "death_date",
    "urgent_aid_ends_on",
    "insurability_ends_on",
)


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.String(33), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_into", sa.String(33), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
    )
    op.create_table(
        "person_numbers",
        sa.Column("ssin", sa.String(11), nullable=False),
        sa.Column("person_id", sa.String(33), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ssin", name="pk_person_numbers"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_numbers_person_id_persons"
        ),
    )
    op.create_index("ix_person_numbers_person_id", "person_numbers", ["person_id"])
    op.add_column("decisions", sa.Column("person_id", sa.String(33), nullable=True))
    op.add_column("decisions", sa.Column("period_start", sa.Date, nullable=True))
    op.add_column("decisions", sa.Column("period_end", sa.Date, nullable=True))
    op.add_column("decisions", sa.Column("last_name", sa.String(200), nullable=True))
    op.add_column("decisions", sa.Column("first_name", sa.String(200), nullable=True))
    op.add_column("decisions", sa.Column("death_date", sa.Date, nullable=True))
    op.add_column("decisions", sa.Column("urgent_aid_ends_on", sa.Date, nullable=True))
    op.add_column("decisions", sa.Column("insurability_ends_on", sa.Date, nullable=True))
    _backfill()
    if op.get_bind().dialect.name != "sqlite":
        for name in ("person_id", "period_start", "period_end", "last_name", "first_name"):
            op.alter_column("decisions", name, nullable=False)
        op.create_foreign_key(
            "fk_decisions_person_id_persons", "decisions", "persons", ["person_id"], ["id"]
        )
    op.create_index("ix_decisions_person_id", "decisions", ["person_id"])
    op.create_index("ix_decisions_urgent_aid_ends_on", "decisions", ["urgent_aid_ends_on"])
    op.create_index("ix_decisions_insurability_ends_on", "decisions", ["insurability_ends_on"])
    op.create_table(
        "hand_overs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("decision_id", _ID, nullable=False),
        sa.Column("from_enterprise_number", sa.String(10), nullable=False),
        sa.Column("to_enterprise_number", sa.String(10), nullable=False),
        sa.Column("to_municipality_nis", sa.String(5), nullable=False),
        sa.Column("to_name_nl", sa.String(200), nullable=True),
        sa.Column("to_name_fr", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_on", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.Text, nullable=True),
        sa.Column("competent_ocmw", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hand_overs"),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name="fk_hand_overs_decision_id_decisions"
        ),
    )
    for column in ("decision_id", "from_enterprise_number", "to_enterprise_number", "status"):
        op.create_index(f"ix_hand_overs_{column}", "hand_overs", [column])
    op.create_index("ix_hand_overs_deadline", "hand_overs", ["deadline"])


def downgrade() -> None:
    op.drop_table("hand_overs")
    op.drop_index("ix_decisions_insurability_ends_on", "decisions")
    op.drop_index("ix_decisions_urgent_aid_ends_on", "decisions")
    op.drop_index("ix_decisions_person_id", "decisions")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_decisions_person_id_persons", "decisions", type_="foreignkey")
    for name in reversed(_COLUMNS):
        op.drop_column("decisions", name)
    op.drop_index("ix_person_numbers_person_id", "person_numbers")
    op.drop_table("person_numbers")
    op.drop_table("persons")


def _backfill() -> None:
    """One person per distinct SSIN; a pending SSIN change's new number becomes the person's
    pending number (unless another person goes by it); the columns from the current version."""
    bind = op.get_bind()
    now = datetime.now(UTC)
    rows = bind.execute(
        sa.text(
            "SELECT d.id, d.ssin, v.snapshot FROM decisions d JOIN decision_versions v"
            " ON v.decision_id = d.id AND v.version = d.current_version ORDER BY d.id"
        )
    ).all()
    person_of: dict[str, str] = {}
    for decision_id, ssin, raw in rows:
        if ssin not in person_of:
            person_of[ssin] = "P" + uuid.uuid4().hex
            _insert_person(bind, person_of[ssin], ssin, "current", now)
        bind.execute(
            sa.text(
                "UPDATE decisions SET person_id = :person_id, period_start = :period_start,"
                " period_end = :period_end, last_name = :last_name, first_name = :first_name,"
                " death_date = :death_date, urgent_aid_ends_on = :urgent_aid_ends_on,"
                " insurability_ends_on = :insurability_ends_on WHERE id = :id"
            ),
            {"id": decision_id, "person_id": person_of[ssin], **_columns(_snapshot(raw))},
        )
    pending = bind.execute(
        sa.text(
            "SELECT d.ssin, m.new_ssin FROM register_mutations m JOIN decisions d"
            " ON d.id = m.decision_id WHERE m.status = 'pending' AND m.kind = 'ssin_change'"
            " AND m.new_ssin IS NOT NULL ORDER BY m.id"
        )
    ).all()
    taken = set(person_of)
    for old, new in pending:
        if new not in taken:
            taken.add(new)
            bind.execute(
                sa.text(
                    "INSERT INTO person_numbers (ssin, person_id, status, updated_at)"
                    " VALUES (:ssin, :person_id, 'pending', :at)"
                ),
                {"ssin": new, "person_id": person_of[old], "at": now},
            )


def _insert_person(bind: Any, person_id: str, ssin: str, status: str, now: datetime) -> None:
    bind.execute(
        sa.text("INSERT INTO persons (id, created_at) VALUES (:id, :at)"),
        {"id": person_id, "at": now},
    )
    bind.execute(
        sa.text(
            "INSERT INTO person_numbers (ssin, person_id, status, updated_at)"
            " VALUES (:ssin, :person_id, :status, :at)"
        ),
        {"ssin": ssin, "person_id": person_id, "status": status, "at": now},
    )


def _snapshot(raw: Any) -> dict[str, Any]:
    import json

    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def _columns(snapshot: dict[str, Any]) -> dict[str, Any]:
    """As `versions.columns_of` computes them at the time of this migration."""
    period = snapshot["period"]
    person = snapshot["person"]
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    insurable = snapshot.get("insurable") and snapshot.get("category") != "insured_needy"
    since = snapshot.get("insurable_since")
    transition_end = None
    if insurable:
        transition_end = _last_day_of_span(date.fromisoformat(since) if since else start, 3)
        if snapshot.get("insurability_extension"):
            transition_end = _last_day_of_span(transition_end + timedelta(days=1), 3)
    return {
        "period_start": start,
        "period_end": end,
        "last_name": person["last_name"],
        "first_name": person["first_name"],
        "death_date": date.fromisoformat(person["death_date"])
        if person.get("death_date")
        else None,
        "urgent_aid_ends_on": end if snapshot.get("urgent_medical_aid") else None,
        "insurability_ends_on": transition_end,
    }


def _last_day_of_span(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    same_day = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return same_day - timedelta(days=1)
