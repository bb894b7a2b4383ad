"""Migration a1d0c0000003 keeps what was filed: one person per distinct SSIN (a pending SSIN
change's new number pending for that person), the decision columns from the current version,
and it downgrades cleanly."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from decision_registry.main import service
from mediprima_contracts.testing import example_decision_version_published
from servicekit.db import Database
from servicekit.testing import move_to_revision, postgres_database

BEFORE, HEAD = "a1d0c0000002", "a1d0c0000003"
OLD_NUMBER, OTHER, NEW_NUMBER = "85073003328", "90022500186", "90022500285"


async def _to(database: Database, revision: str, *, down: bool = False) -> None:
    await move_to_revision(service, database, revision, down=down)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'decision-registry.db'}")
        yield database
        await database.dispose()
        return
    async with postgres_database("drm") as url:
        database = Database(url)
        yield database
        await database.dispose()


def _snapshot(number: str, ssin: str, start: str, end: str, **changes: Any) -> str:
    version = example_decision_version_published(
        decision_number=number,
        ssin=ssin,
        period={"start": start, "end": end},
        coverages=[],
        **changes,
    )
    return json.dumps(version.model_dump(mode="json"))


async def _decision(connection: Any, row_id: int, ssin: str, status: str, snapshot: str) -> None:
    await connection.execute(
        text(
            "INSERT INTO decisions (id, decision_number, ocmw_enterprise_number, ssin,"
            " current_version, status, created_at, updated_at) VALUES (:id, :number,"
            " '0212344876', :ssin, 1, :status, '2026-11-01 10:00:00', '2026-11-01 10:00:00')"
        ),
        {"id": row_id, "number": f"00000000{row_id}", "ssin": ssin, "status": status},
    )
    await connection.execute(
        sa.table(
            "decision_versions",
            sa.column("decision_id"),
            sa.column("version"),
            sa.column("change_kind"),
            sa.column("snapshot", sa.JSON),
            sa.column("created_at", sa.DateTime(timezone=True)),
        ).insert(),
        {
            "decision_id": row_id,
            "version": 1,
            "change_kind": "created",
            "snapshot": json.loads(snapshot),
            "created_at": datetime(2026, 11, 1, 10, tzinfo=UTC),
        },
    )


async def test_d08_decisions_filed_before_the_upgrade_get_one_person_per_number(
    database: Database,
) -> None:
    await _to(database, BEFORE)
    async with database.engine.begin() as connection:
        await _decision(
            connection,
            1,
            OLD_NUMBER,
            "active",
            _snapshot("000000001", OLD_NUMBER, "2026-01-01", "2026-03-31", urgent_medical_aid=True),
        )
        await _decision(
            connection,
            2,
            OLD_NUMBER,
            "active",
            _snapshot(
                "000000002",
                OLD_NUMBER,
                "2026-04-01",
                "2026-05-31",
                urgent_medical_aid=False,
                category="asylum_seeker",
                insurable=True,
            ),
        )
        await _decision(
            connection,
            3,
            OTHER,
            "suspended",
            _snapshot("000000003", OTHER, "2026-01-01", "2026-03-31", urgent_medical_aid=False),
        )
        await connection.execute(
            text(
                "INSERT INTO register_mutations (decision_id, mutation_key, ssin, kind,"
                " effective_date, new_ssin, status, received_at) VALUES (3, 'k', :ssin,"
                " 'ssin_change', '2026-02-01', :new, 'pending', '2026-02-02 08:00:00')"
            ),
            {"ssin": OTHER, "new": NEW_NUMBER},
        )

    await _to(database, HEAD)

    async with database.engine.connect() as connection:
        decisions = (
            await connection.execute(
                text(
                    "SELECT id, person_id, period_start, period_end, last_name,"
                    " urgent_aid_ends_on, insurability_ends_on FROM decisions ORDER BY id"
                )
            )
        ).all()
        numbers = dict(
            (
                await connection.execute(
                    text("SELECT ssin, status || ':' || person_id FROM person_numbers")
                )
            ).all()
        )
        persons = (await connection.execute(text("SELECT count(*) FROM persons"))).scalar()
    first, second, third = decisions
    assert persons == 2
    assert first.person_id == second.person_id != third.person_id
    assert numbers == {
        OLD_NUMBER: f"current:{first.person_id}",
        OTHER: f"current:{third.person_id}",
        NEW_NUMBER: f"pending:{third.person_id}",
    }
    assert (str(first.period_start), str(first.period_end), first.last_name) == (
        "2026-01-01",
        "2026-03-31",
        "Peeters",
    )
    assert (str(first.urgent_aid_ends_on), first.insurability_ends_on) == ("2026-03-31", None)
    assert (second.urgent_aid_ends_on, str(second.insurability_ends_on)) == (
        None,
        str(date(2026, 6, 30)),
    )

    await _to(database, BEFORE, down=True)
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [column["name"] for column in sa.inspect(sync).get_columns("decisions")]
        )
    assert "person_id" not in columns
    await _to(database, HEAD)
