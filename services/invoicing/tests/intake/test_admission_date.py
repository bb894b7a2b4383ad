"""I-01 admission date: optional per line, never after the line's care; stored, published, shown,
and part of the body an Idempotency-Key answers for."""

import asyncio
import hashlib
import json
import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import CARE_DAY, Gp, Line, invoice_body, key, new_ssin

IN_HOSPITAL = Line(admission_date=CARE_DAY - timedelta(days=3))


async def test_i01_an_admission_date_is_stored_published_and_shown(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    same_day = Line(code="102771", admission_date=CARE_DAY)
    body = invoice_body(new_ssin(), IN_HOSPITAL, same_day, Line(code="101076"))

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 202, response.text
    invoice_id = response.json()["invoice_id"]
    seen = (await client.get(f"/v1/invoices/{invoice_id}", headers=gp.headers)).json()
    expected = [(CARE_DAY - timedelta(days=3)).isoformat(), CARE_DAY.isoformat(), None]
    assert [line["admission_date"] for line in seen["lines"]] == expected
    [submitted] = [json.loads(record.value) for record in await published(INVOICES)]
    assert [line["admission_date"] for line in submitted["data"]["lines"]] == expected


async def test_i01_an_admission_after_the_date_of_care_is_refused_and_nothing_stored(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), IN_HOSPITAL, Line(admission_date=CARE_DAY + timedelta(days=1)))
    body["lines"].append(
        {"line_number": 3, "date_of_care": "2026-02-30", "code": "101032", "amount": "1.00",
         "admission_date": "2026-13-01"}
    )  # fmt: skip

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problems = {(p["rule"], p["field"], p["code"]) for p in response.json()["errors"]}
    assert ("I-01", "lines.1.admission_date", "line.admission_after_care") in problems
    assert {field for _, field, _ in problems} == {
        "lines.1.admission_date",
        "lines.2.date_of_care",
        "lines.2.admission_date",
    }
    [after_care] = [p for p in response.json()["errors"] if p["field"] == "lines.1.admission_date"]
    assert CARE_DAY.isoformat() in after_care["message"]
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert listed.json()["items"] == []
    assert await published(INVOICES, expected=0) == []


async def test_i01_the_admission_date_is_part_of_the_body_a_key_answers_for(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    with_admission = invoice_body(ssin, IN_HOSPITAL)

    first = await client.post("/v1/invoices", json=with_admission, headers=headers)
    retried = await client.post("/v1/invoices", json=with_admission, headers=headers)
    other_admission = invoice_body(ssin, Line(admission_date=CARE_DAY))
    changed = await client.post("/v1/invoices", json=other_admission, headers=headers)
    without = await client.post("/v1/invoices", json=invoice_body(ssin), headers=headers)

    assert first.status_code == retried.status_code == 202
    assert retried.json() == first.json()
    assert changed.status_code == without.status_code == 409
    assert changed.json()["errors"][0]["code"] == "idempotency_key.reused"


async def test_i01_a_retry_of_an_invoice_received_before_admission_dates_gets_its_answer(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin())
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/v1/invoices", json=body, headers=headers)
    # The hash the service stored before lines had an admission date: the parsed body, compact.
    [line] = body["lines"]
    before = json.dumps(
        {"ssin": body["ssin"], "agreement_number": None, "lines": [line]}, separators=(",", ":")
    )
    # Written from a thread: a blocking write on the event loop would stall the service's outbox
    # relay, which holds the write lock while it publishes, and so wait for itself.
    await asyncio.to_thread(
        _set_request_hash,
        tmp_path / "invoicing.db",
        first.json()["invoice_id"],
        hashlib.sha256(before.encode()).hexdigest(),
    )

    retried = await client.post("/v1/invoices", json=body, headers=headers)

    assert retried.status_code == 202, retried.text
    assert retried.json() == first.json()


async def test_i01_the_openapi_document_describes_the_admission_date(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    body = document["paths"]["/v1/invoices"]["post"]["requestBody"]["content"]
    line = body["application/json"]["schema"]["properties"]["lines"]["items"]
    assert "admission_date" in line["properties"]
    assert "admission_date" not in line.get("required", [])
    view = document["components"]["schemas"]["LineView"]["properties"]
    assert "admission_date" in view


def _set_request_hash(database_file: Path, invoice_id: str, request_hash: str) -> None:
    with sqlite3.connect(database_file, timeout=30) as database:
        database.execute(
            "UPDATE invoices SET request_hash = ? WHERE invoice_id = ?", (request_hash, invoice_id)
        )
