"""S-02: an OCMW statement names each person as the OCMW knows them from its decision (layout
3): on every line, in every format, and beside the number in the per-person totals; the PDF
lists every line. The names are frozen by the month's runs (S-04: a closed month's files never
change), the latest decision version wins, and an OCMW never sees another OCMW's names."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pymupdf

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing import random_enterprise_number
from mediprima_contracts.testing.events import example_decision_version_published
from servicekit.auth import Role
from servicekit.testing import TokenFactory, eventually

from .feeding import deliver, paid, run, settled_lines

OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def _decision(
    ocmw: str, number: str, *, version: int = 1, last: str, first: str, ocmw_name: str
) -> DecisionVersionPublished:
    return example_decision_version_published(
        decision_number=number,
        version=version,
        person={"last_name": last, "first_name": first, "birth_date": None, "sex": "unknown"},
        ocmw={"enterprise_number": ocmw, "municipality_nis": "44021", "name_nl": ocmw_name,
              "language": "nl"},
    )  # fmt: skip


def _number() -> str:
    return str(random_enterprise_number())  # ten digits, unique enough for a decision number


async def _statement(
    client: httpx.AsyncClient, tokens: TokenFactory, settlement_id: str, ocmw: str, accept: str
) -> httpx.Response:
    response = await client.get(
        f"/v1/settlements/{settlement_id}/ocmw/{ocmw}",
        headers=tokens.headers(Role.OCMW, ocmw, Accept=accept),
    )
    assert response.status_code == 200, response.text
    return response


def _pdf_text(body: bytes) -> str:
    with pymupdf.open(stream=body, filetype="pdf") as document:
        return "".join(page.get_text() for page in document)


async def test_s02_the_statement_names_each_person_on_every_line_and_beside_the_number(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, known, unknown = random_enterprise_number(), _number(), _number()
    first_line = paid(at=OCTOBER, ocmw=ocmw, decision_number=known, state="12.00", share="1.00")
    second_line = paid(at=OCTOBER, ocmw=ocmw, decision_number=known, ssin=first_line.ssin)
    never_seen = paid(at=OCTOBER, ocmw=ocmw, decision_number=unknown, state="3.00")
    await deliver(
        tmp_path,
        _decision(ocmw, known, last='De "Smet", Jr.', first="Zoë", ocmw_name="OCMW Namen"),
        first_line, second_line, never_seen,
    )  # fmt: skip
    view = await settled_lines(
        client, tokens.headers(Role.OPERATOR, "op"), "2025-10", 3, named="OCMW Namen"
    )
    settlement_id = view["settlement_id"]

    as_json = (await _statement(client, tokens, settlement_id, ocmw, "application/json")).json()
    as_csv = (await _statement(client, tokens, settlement_id, ocmw, "text/csv")).text
    as_pdf = _pdf_text(
        (await _statement(client, tokens, settlement_id, ocmw, "application/pdf")).content
    )

    assert as_json["format"] == "mediprima.settlement.ocmw-statement/3"
    names = {
        (line["invoice_id"], line["ssin"]): (line["last_name"], line["first_name"])
        for line in as_json["lines"]
    }
    assert names == {
        (first_line.invoice_id, first_line.ssin): ('De "Smet", Jr.', "Zoë"),
        (second_line.invoice_id, first_line.ssin): ('De "Smet", Jr.', "Zoë"),
        (never_seen.invoice_id, never_seen.ssin): (None, None),  # the number, no name
    }
    per_person = {entry["ssin"]: entry for entry in as_json["per_person"]}
    assert (per_person[first_line.ssin]["last_name"], per_person[first_line.ssin]["total"]) == (
        'De "Smet", Jr.', "43.00",
    )  # fmt: skip
    assert per_person[never_seen.ssin]["last_name"] is None
    records = list(csv.DictReader(io.StringIO(as_csv)))
    lines = [record for record in records if record["record_type"] == "line"]
    assert [(r["ssin"], r["last_name"], r["first_name"]) for r in lines if r["last_name"]] == [
        (first_line.ssin, 'De "Smet", Jr.', "Zoë")
    ] * 2
    person_totals = {r["ssin"]: r for r in records if r["record_type"] == "person_total"}
    assert person_totals[first_line.ssin]["last_name"] == 'De "Smet", Jr.'
    assert person_totals[never_seen.ssin]["last_name"] == ""
    # the PDF: every line (its invoice, the number and the name beside it), and each person
    for line in (first_line, second_line, never_seen):
        assert line.invoice_id in as_pdf
    # beside the number: on the two lines and in the person's total
    assert as_pdf.count(f'{first_line.ssin}\nDe "Smet", Jr., Zoë\n') == 3
    assert as_pdf.count(never_seen.ssin) == 2  # its line and its total, named by no one
    assert "Alle lijnen" in as_pdf
    assert "Het detail per lijn staat in de CSV" not in as_pdf


async def test_s02_the_latest_decision_version_names_the_person_whatever_the_order(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, number = random_enterprise_number(), _number()
    newer = _decision(ocmw, number, version=3, last="Janssens", first="Els", ocmw_name="OCMW X")
    older = _decision(ocmw, number, version=2, last="Peeters", first="Els", ocmw_name="OCMW X")
    marker = random_enterprise_number()
    await deliver(
        tmp_path,
        newer,
        older,  # late: changes nothing
        newer,  # again: changes nothing
        # applied after the three on the same key: once its name shows, they were applied
        _decision(marker, _number(), last="Merk", first="Teken", ocmw_name="OCMW Merkteken"),
        paid(at=OCTOBER, ocmw=ocmw, decision_number=number),
        paid(at=OCTOBER, ocmw=marker),
    )
    view = await settled_lines(
        client, tokens.headers(Role.OPERATOR, "op"), "2025-10", 2, named="OCMW Merkteken"
    )

    statement = await _statement(client, tokens, view["settlement_id"], ocmw, "application/json")

    line = statement.json()["lines"][0]
    assert (line["last_name"], line["first_name"]) == ("Janssens", "Els")


async def test_s04_a_name_changed_after_the_close_changes_no_file_of_the_closed_month(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, number = random_enterprise_number(), _number()
    operator = tokens.headers(Role.OPERATOR, "op")
    october_line = paid(at=OCTOBER, ocmw=ocmw, decision_number=number)
    await deliver(
        tmp_path,
        _decision(ocmw, number, last="Peeters", first="An", ocmw_name="OCMW Oud"),
        october_line,
    )
    view = await settled_lines(client, operator, "2025-10", 1, named="OCMW Oud")
    settlement_id = view["settlement_id"]
    closed = await client.post(f"/v1/settlements/{settlement_id}/close", headers=operator)
    assert closed.status_code == 200, closed.text
    checksums = closed.json()["files"]
    # The decision renames the person (and the OCMW, which shows when it was applied).
    await deliver(
        tmp_path,
        _decision(ocmw, number, version=2, last="Maes", first="An", ocmw_name="OCMW Nieuw"),
        paid(at=NOVEMBER, ocmw=ocmw, decision_number=number),
    )
    november = await settled_lines(client, operator, "2025-11", 1, named="OCMW Nieuw")

    downloads = {
        f"ocmw-{ocmw}-2025-10.{ext}": await _statement(client, tokens, settlement_id, ocmw, media)
        for ext, media in (("csv", "text/csv"), ("json", "application/json"),
                           ("pdf", "application/pdf"))
    }  # fmt: skip
    again = await client.get(f"/v1/settlements/{settlement_id}", headers=operator)
    new_month = await _statement(
        client, tokens, november["settlement_id"], ocmw, "application/json"
    )

    assert {
        name: hashlib.sha256(response.content).hexdigest() for name, response in downloads.items()
    } == {name: digest for name, digest in checksums.items() if name.startswith(f"ocmw-{ocmw}")}
    assert again.json()["files"] == checksums
    assert downloads[f"ocmw-{ocmw}-2025-10.json"].json()["lines"][0]["last_name"] == "Peeters"
    assert new_month.json()["lines"][0]["last_name"] == "Maes"


async def test_s02_an_ocmw_never_sees_another_ocmws_names(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ours, theirs, number = random_enterprise_number(), random_enterprise_number(), _number()
    # The same number on a line of another OCMW: the decision is ours, so is the name.
    await deliver(
        tmp_path,
        _decision(ours, number, last="Vermeulen", first="Lotte", ocmw_name="OCMW Eigen"),
        paid(at=OCTOBER, ocmw=ours, decision_number=number),
        paid(at=OCTOBER, ocmw=theirs, decision_number=number),
    )
    view = await settled_lines(
        client, tokens.headers(Role.OPERATOR, "op"), "2025-10", 2, named="OCMW Eigen"
    )
    settlement_id = view["settlement_id"]

    theirs_seen: dict[str, Any] = {
        media: await _statement(client, tokens, settlement_id, theirs, media)
        for media in ("application/json", "text/csv", "application/pdf")
    }
    ours_seen = await _statement(client, tokens, settlement_id, ours, "application/json")
    refused = await client.get(
        f"/v1/settlements/{settlement_id}/ocmw/{ours}",
        headers=tokens.headers(Role.OCMW, theirs, Accept="application/json"),
    )

    assert ours_seen.json()["lines"][0]["last_name"] == "Vermeulen"
    assert theirs_seen["application/json"].json()["lines"][0]["last_name"] is None
    assert "Vermeulen" not in theirs_seen["text/csv"].text
    assert "Vermeulen" not in _pdf_text(theirs_seen["application/pdf"].content)
    assert refused.status_code == 403


async def test_s02_a_rerun_of_an_open_month_shows_the_names_known_by_then(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, number = random_enterprise_number(), _number()
    operator = tokens.headers(Role.OPERATOR, "op")
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=ocmw, decision_number=number))
    first = await settled_lines(client, operator, "2025-10", 1)
    before = await _statement(client, tokens, first["settlement_id"], ocmw, "application/json")
    await deliver(tmp_path, _decision(ocmw, number, last="Claes", first="Jan", ocmw_name="OCMW C"))

    async def rerun() -> tuple[dict[str, Any], httpx.Response]:
        started = (await run(client, operator, "2025-10")).json()
        view = await client.get(f"/v1/settlements/{started['settlement_id']}", headers=operator)
        statement = await _statement(
            client, tokens, started["settlement_id"], ocmw, "application/json"
        )
        return view.json(), statement

    # the decision reaches the service a moment later: rerun until a run has seen it
    second, after = await eventually(
        rerun, lambda ran: ran[1].json()["lines"][0]["last_name"] is not None
    )

    assert before.json()["lines"][0]["last_name"] is None  # no decision seen at the first run
    assert after.json()["lines"][0]["last_name"] == "Claes"
    assert hashlib.sha256(after.content).hexdigest() == second["files"][f"ocmw-{ocmw}-2025-10.json"]
