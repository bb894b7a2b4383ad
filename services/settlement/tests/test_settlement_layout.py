"""S-03: the files follow their published schema, and the published schema is current; a month
closed in layout 1 keeps its files byte for byte (S-04)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


# A month closed before layout 2: its ledger (two OCMWs; one person under two numbers, which
# layout 1 totals per number; a credit) and the SHA-256 of every file the layout 1 code wrote
# for it, recorded at close.
_LAYOUT_1_LEDGER = [
    ("paid", "2025-10-03 09:00:00", "pay-1", "pay-1", "inv-1", 1, "10000000102", "85473012345",
     "0212345678", "123456", 2, 1, "101076", "2025-10-01", 2600, 400, 0),
    ("paid", "2025-10-03 09:00:00", "pay-1", "pay-1", "inv-1", 2, "10000000102", "85473012345",
     "0212345678", "123456", 2, 1, "102771", "2025-10-01", 1000, 0, 105),
    ("paid", "2025-10-20 09:00:00", "pay-2", "pay-2", "inv-2", 1, "10000000102", "85073012345",
     "0212345678", "123456", 3, 0, "101076", "2025-10-15", 2600, 400, 0),
    ("credit", "2025-10-21 09:00:00", "cr-1", "pay-1", "inv-1", 2, "10000000102", "85473012345",
     "0212345678", "123456", 2, 1, "102771", "2025-10-01", -1000, 0, -105),
    ("paid", "2025-10-22 09:00:00", "pay-3", "pay-3", "inv-3", 1, "10000000201", "90010112345",
     "0312345679", "654321", 1, 0, "101076", "2025-10-10", 3000, 0, 400),
]  # fmt: skip
_LAYOUT_1_FILES = {
    "funder-2025-10.csv": "ab496ed6a7c450a560836d3f70143758dbec3743e609a7c1caee94e0e5941233",
    "funder-2025-10.json": "c7422761eb57c3f81f029b6670005943034df17f2a6ea8c1475c116963b90d87",
    "ocmw-0212345678-2025-10.csv": (
        "56d319e6e19a9d0166d56b1362c77256a68e6260388cc3ec840678a705d25f86"
    ),
    "ocmw-0212345678-2025-10.json": (
        "1cc75a78712dd0de9d9c8e0960f8e9c1926329953c90fb53c1f610d30e7a2e1f"
    ),
    "ocmw-0212345678-2025-10.pdf": (
        "f3320d770b10e24262b1e8507c5e30ecdf402c5b6f2a7681ede8e94bca002e0c"
    ),
    "ocmw-0312345679-2025-10.csv": (
        "b38669671e25d801d6709c64db5902949e10080cbbe758eef5e5a618b69863c4"
    ),
    "ocmw-0312345679-2025-10.json": (
        "6a8c0934f14aed1ea458baeb841bb82df285a28df47695a585e87a2e4d41ebca"
    ),
    "ocmw-0312345679-2025-10.pdf": (
        "98957ae2932ce71aa20e3b99526d0e7ed82c6460862d23aff0a54cc2abcf2637"
    ),
}
_PER_OCMW = [
    {"enterprise_number": "0212345678", "name": "OCMW Gent", "language": "nl"},
    {"enterprise_number": "0312345679", "name": "CPAS de Liège", "language": "fr"},
]
_MEDIA = {"csv": "text/csv", "json": "application/json", "pdf": "application/pdf"}


def _closed_in_layout_1(database: Path) -> None:
    _closed_in(database, _LAYOUT_1_LEDGER, _LAYOUT_1_FILES, file_layout=1)


def _closed_in(
    database: Path, ledger: list[tuple[Any, ...]], files: dict[str, str], *, file_layout: int
) -> None:
    # layout 1's lines named no person
    rows = [line if len(line) > len(_LAYOUT_1_LEDGER[0]) else (*line, None) for line in ledger]
    totals = {"state_share": "0.00", "ocmw_share": "0.00", "patient_share": "0.00", "total": "0.00",
              "lines": 0, "invoices": 0}  # fmt: skip
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO ledger_lines (month, kind, booked_at, booking_reference,"
            " payment_reference, invoice_id, line_number, provider, ssin, ocmw, decision_number,"
            " version, urgent_medical_aid, code, date_of_care, state_share, ocmw_share,"
            " patient_share, person_id) VALUES ('2025-10', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute(
            "INSERT INTO settlements (settlement_id, month, status, computed_at, closed_at, totals,"
            " per_ocmw, ledger_watermark, report, file_checksums, file_layout) VALUES ('s-golden',"
            " '2025-10', 'closed', '2025-11-02 08:00:00', '2025-11-02 08:00:00', ?, ?, 5, NULL,"
            " ?, ?)",
            (
                json.dumps(totals),
                json.dumps([{**entry, **totals} for entry in _PER_OCMW]),
                json.dumps(files),
                file_layout,
            ),
        )


def _v1_schema(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((published_schema.SCHEMA_DIR / "v1" / name).read_text())
    return document


async def test_s04_a_month_closed_in_layout_1_downloads_byte_for_byte_as_it_was_closed(
    sqlite_client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    _closed_in_layout_1(tmp_path / "settlement.db")
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    base = "/v1/settlements/s-golden"
    urls = {"funder-2025-10": f"{base}/funder-file"} | {
        f"ocmw-{entry['enterprise_number']}-2025-10": f"{base}/ocmw/{entry['enterprise_number']}"
        for entry in _PER_OCMW
    }

    downloads = {
        f"{name}.{ext}": await sqlite_client.get(url, headers={**operator, "Accept": media})
        for name, url in urls.items()
        for ext, media in _MEDIA.items()
        if not (ext == "pdf" and name.startswith("funder"))
    }

    digests = {name: hashlib.sha256(found.content).hexdigest() for name, found in downloads.items()}
    assert digests == _LAYOUT_1_FILES
    funder_csv = downloads["funder-2025-10.csv"].text
    header = next(csv.reader(io.StringIO(funder_csv)))
    assert header == [field["name"] for field in _v1_schema("funder-file.csv.json")["fields"]]
    statement = downloads["ocmw-0212345678-2025-10.json"].json()
    definitions = _v1_schema("ocmw-statement.schema.json")["$defs"]
    assert statement["format"] == "mediprima.settlement.ocmw-statement/1"
    assert set(statement["lines"][0]) == set(definitions["FileLine"]["properties"])
    assert [set(entry) for entry in statement["per_person"]] == [
        set(definitions["PersonTotals"]["properties"])
    ] * 2  # layout 1 totals per number: the person under two numbers is two entries


# A month closed in layout 2 (the same ledger, each line naming its person): the SHA-256 of every
# file the layout 2 code wrote for it. Layout 3 put names in the statements; these stay as closed.
_LAYOUT_2_LEDGER = [
    (*line, person)
    for line, person in zip(_LAYOUT_1_LEDGER, ["P1", "P1", "P1", "P1", None], strict=True)
]
_LAYOUT_2_FILES = {
    "funder-2025-10.csv": "20312ad420b5e9ec9de8f86035e9daee7e838e2f183437989468e61cd30cfbeb",
    "funder-2025-10.json": "2104323e9bfff105161f6217ac85d70645d0b2f9ab9f83e7cede9de9684f1981",
    "ocmw-0212345678-2025-10.csv": (
        "8cea8b43a0232411744a065211ff0dd846cdd938b6ef2f6859505fc0c0fee15a"
    ),
    "ocmw-0212345678-2025-10.json": (
        "9d1d76f206266d3716d68e132ef84e2f41fbcd72bf3ece5d16b74ae30675e5b7"
    ),
    "ocmw-0212345678-2025-10.pdf": (
        "1d810b255d6cf195961f9db5fa0be7cdbbaa91f3b615b1461f7e5b872520488b"
    ),
    "ocmw-0312345679-2025-10.csv": (
        "6a63369fd7efa64d866737c9dd4f3e0fbb09ee25fc5b56b448a46d51b31365bc"
    ),
    "ocmw-0312345679-2025-10.json": (
        "b1ed6d8afb3eff1107a67626dbec608e19f5b27b36e7df6d34b74666bda23524"
    ),
    "ocmw-0312345679-2025-10.pdf": (
        "e5d535408341f9241610fcddf7bbde0353108fdcfc882523df5276e6e1543da2"
    ),
}


async def test_s04_a_month_closed_in_layout_2_downloads_byte_for_byte_as_it_was_closed(
    sqlite_client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    _closed_in(tmp_path / "settlement.db", _LAYOUT_2_LEDGER, _LAYOUT_2_FILES, file_layout=2)
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    base = "/v1/settlements/s-golden"
    urls = {"funder-2025-10": f"{base}/funder-file"} | {
        f"ocmw-{entry['enterprise_number']}-2025-10": f"{base}/ocmw/{entry['enterprise_number']}"
        for entry in _PER_OCMW
    }

    downloads = {
        f"{name}.{ext}": await sqlite_client.get(url, headers={**operator, "Accept": media})
        for name, url in urls.items()
        for ext, media in _MEDIA.items()
        if not (ext == "pdf" and name.startswith("funder"))
    }

    digests = {name: hashlib.sha256(found.content).hexdigest() for name, found in downloads.items()}
    assert digests == _LAYOUT_2_FILES
    statement = downloads["ocmw-0212345678-2025-10.json"].json()
    assert statement["format"] == "mediprima.settlement.ocmw-statement/2"
    assert "last_name" not in statement["lines"][0]
