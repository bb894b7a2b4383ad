"""S-02/S-04 with D-08: a person billed under an old and a new number is one person in the OCMW's
statement, named by the latest number booked for them, and every total still reconciles."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pymupdf

from mediprima_contracts.testing import random_enterprise_number
from mediprima_contracts.testing.factories import random_bis_number, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .feeding import credit_of, deliver, paid, settled_lines

EARLY, LATER, LAST = (datetime(2025, 10, day, 10, 0, tzinfo=UTC) for day in (3, 20, 25))
SHARES = ("state_share", "ocmw_share", "patient_share", "total")


async def test_s04_one_person_under_the_old_and_the_new_number_is_one_person_in_the_statement(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, person = random_enterprise_number(), f"P{uuid.uuid4().hex}"
    bis_number, register_number, stranger = (
        str(random_bis_number()),
        str(random_ssin()),
        str(random_ssin()),
    )
    under_bis = paid(at=EARLY, ocmw=ocmw, ssin=bis_number, person_id=person)
    under_register = paid(
        at=LATER, ocmw=ocmw, ssin=register_number, person_id=person,
        state="10.10", share="0.00", patient="1.25",
    )  # fmt: skip
    unknown_person = paid(at=LATER, ocmw=ocmw, ssin=stranger, state="0.50", share="0.00")
    # Booked last, and under the old number: a credit does not rename the person.
    credit = credit_of(under_bis, at=LAST)
    await deliver(tmp_path, under_bis, under_register, unknown_person, credit)
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 4)
    url = f"/v1/settlements/{view['settlement_id']}/ocmw/{ocmw}"

    statement = (await client.get(url, headers={**operator, "Accept": "application/json"})).json()
    as_csv = await client.get(url, headers={**operator, "Accept": "text/csv"})
    as_pdf = await client.get(url, headers={**operator, "Accept": "application/pdf"})

    assert view["reconciliation"]["reconciled"] is True
    assert statement["format"] == "mediprima.settlement.ocmw-statement/3"
    people = {entry["ssin"]: entry for entry in statement["per_person"]}
    assert set(people) == {register_number, stranger}
    assert people[register_number] == {
        "person_id": person, "ssin": register_number,
        "state_share": "10.10", "ocmw_share": "0.00", "patient_share": "1.25", "total": "11.35",
        "lines": 3, "invoices": 2, "last_name": None, "first_name": None,
    }  # fmt: skip
    assert people[stranger]["person_id"] is None
    assert people[stranger]["total"] == "0.50"
    for share in SHARES:  # to the cent: the persons add up to the OCMW, which is the month
        persons_sum = sum(Decimal(entry[share]) for entry in statement["per_person"])
        assert persons_sum == Decimal(statement["totals"][share]) == Decimal(view["totals"][share])
    assert sum(entry["lines"] for entry in statement["per_person"]) == statement["totals"]["lines"]
    assert {(line["ssin"], line["person_id"]) for line in statement["lines"]} == {
        (bis_number, person),
        (register_number, person),
        (stranger, None),
    }
    records = list(csv.DictReader(io.StringIO(as_csv.text)))
    person_totals = {r["ssin"]: r for r in records if r["record_type"] == "person_total"}
    assert set(person_totals) == {register_number, stranger}
    named = person_totals[register_number]
    assert (named["person_id"], named["total"], named["lines"]) == (person, "11.35", "3")
    assert person_totals[stranger]["person_id"] == ""
    with pymupdf.open(stream=as_pdf.content, filetype="pdf") as document:
        text = "".join(page.get_text() for page in document)
    # the old number shows on its two lines (the payment and its credit), in no total
    assert text.count(bis_number) == 2
    assert text.count(register_number) == 2  # its line and the person's total
    assert "sous le dernier NISS" in text


async def test_s01_the_funder_file_names_the_person_of_every_line(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    person = f"P{uuid.uuid4().hex}"
    await deliver(tmp_path, paid(at=EARLY, ocmw=random_enterprise_number(), person_id=person))
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 1)

    funder = await client.get(
        f"/v1/settlements/{view['settlement_id']}/funder-file",
        headers={**operator, "Accept": "application/json"},
    )

    assert [line["person_id"] for line in funder.json()["lines"]] == [person]
