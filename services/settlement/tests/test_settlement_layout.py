"""S-03: the files follow their published schema, and the published schema is current."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx

from mediprima_contracts.testing import random_enterprise_number
from servicekit.auth import Role
from servicekit.testing import TokenFactory
from settlement.settlements.files import layout, published_schema
from settlement.settlements.files.published_schema import FunderFile, OcmwStatement

from .feeding import credit_of, deliver, paid, settled_lines

AT = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)


def test_s03_the_published_schema_files_are_current() -> None:
    for name, schema in published_schema.schemas().items():
        committed = published_schema.SCHEMA_DIR / name
        assert json.loads(committed.read_text()) == schema, (
            f"{name} is stale: uv run python -m settlement.settlements.files.published_schema"
        )


async def test_s03_every_file_follows_its_published_layout(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw = random_enterprise_number()
    original = paid(at=AT, ocmw=ocmw)
    await deliver(tmp_path, original, paid(at=AT, ocmw=ocmw), credit_of(original, at=AT))
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 3)
    base = f"/v1/settlements/{view['settlement_id']}"

    funder = await client.get(
        f"{base}/funder-file", headers={**operator, "Accept": "application/json"}
    )
    statement = await client.get(
        f"{base}/ocmw/{ocmw}", headers={**operator, "Accept": "application/json"}
    )
    funder_csv = await client.get(f"{base}/funder-file", headers={**operator, "Accept": "text/csv"})

    funder_file = FunderFile.model_validate_json(funder.content)
    assert [line.entry for line in funder_file.lines].count("credit") == 1
    assert funder_file.totals.total == "30.00"  # two paid lines, one credited
    assert OcmwStatement.model_validate_json(statement.content).totals.lines == 3
    header = next(csv.reader(io.StringIO(funder_csv.text)))
    assert tuple(header) == layout.CSV_COLUMNS
    assert [
        field["name"] for field in published_schema.schemas()["funder-file.csv.json"]["fields"]
    ] == header
