"""I-01 intake: every bad field listed at once, nothing stored; a valid invoice is received."""

import json
from datetime import timedelta
from pathlib import Path

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import TODAY, Gp, Line, invoice_body, key, new_ssin


async def test_i01_a_valid_invoice_is_received_and_queued_for_pricing(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), Line(), Line(code="102771", amount="38.16"))

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 202
    invoice_id = response.json()["invoice_id"]
    assert response.json()["status"] == "received"
    seen = await client.get(f"/v1/invoices/{invoice_id}", headers=gp.headers)
    assert seen.json()["status"] == "received"
    assert [line["status"] for line in seen.json()["lines"]] == ["pending", "pending"]
    assert [change["status"] for change in seen.json()["history"]] == ["received"]
    records = await published(INVOICES)
    submitted = [json.loads(record.value) for record in records]
    assert [event["data"]["invoice_id"] for event in submitted] == [invoice_id]
    assert submitted[0]["data"]["provider"] == gp.riziv
    assert len(submitted[0]["data"]["lines"]) == 2


async def test_i01_an_invalid_invoice_lists_every_bad_field_and_stores_nothing(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = {
        "ssin": "85073003327",  # wrong check digits
        "lines": [
            {"line_number": 1, "date_of_care": "2026-02-30", "code": "101032", "amount": "10.00"},
            {"line_number": 1, "date_of_care": TODAY.isoformat(), "code": "1010", "amount": "0"},
            {
                "line_number": 7,
                "date_of_care": (TODAY + timedelta(days=1)).isoformat(),
                "code": "101032",
                "amount": "12.345",
            },
            {"line_number": 4, "date_of_care": TODAY.isoformat(), "code": "101032", "amount": 5.5},
        ],
    }

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problems = response.json()["errors"]
    fields = {problem["field"] for problem in problems}
    assert fields == {
        "ssin",
        "lines.0.date_of_care",
        "lines.1.line_number",
        "lines.1.code",
        "lines.1.amount",
        "lines.2.line_number",
        "lines.2.date_of_care",
        "lines.2.amount",
        "lines.3.amount",
    }
    assert {problem["rule"] for problem in problems} == {"I-01"}
    codes = {(problem["field"], problem["code"]) for problem in problems}
    assert ("lines.1.line_number", "line.number_duplicate") in codes
    assert ("lines.2.line_number", "line.number_out_of_range") in codes
    assert ("lines.2.date_of_care", "line.date_in_future") in codes
    assert ("lines.2.amount", "money.precision") in codes
    assert ("lines.3.amount", "money.float") in codes
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert listed.json()["items"] == []
    assert await published(INVOICES, expected=0) == []


async def test_i01_unknown_fields_and_missing_lines_are_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)

    response = await client.post(
        "/v1/invoices",
        json={"ssin": new_ssin(), "lines": [], "comment": "x"},
        headers={**gp.headers, **key()},
    )

    assert response.status_code == 422
    assert {problem["field"] for problem in response.json()["errors"]} == {"lines", "comment"}


async def test_i01_more_lines_than_the_maximum_are_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *[Line() for _ in range(201)])

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["errors"]] == ["lines"]


async def test_i01_numbers_beyond_any_database_column_are_refused_not_a_500(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), Line(), Line(amount="1000000.01"), Line(amount="1e999999999"))
    body["lines"][0]["line_number"] = 2**31

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 422
    assert {(problem["rule"], problem["field"]) for problem in response.json()["errors"]} == {
        ("I-01", "lines.0.line_number"),
        ("I-01", "lines.1.amount"),
        ("I-01", "lines.2.amount"),
    }


async def test_i01_a_body_over_the_size_limit_is_refused_before_parsing(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    huge = b'{"ssin": "' + b"1" * (300 * 1024) + b'"}'

    response = await client.post(
        "/v1/invoices",
        content=huge,
        headers={**gp.headers, **key(), "Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "body.too_large"


async def test_i01_a_body_that_is_not_json_is_a_problem(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)

    response = await client.post(
        "/v1/invoices",
        content=b"{not json",
        headers={**gp.headers, **key(), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "body.not_json"


async def test_i01_only_a_gp_submits_invoices(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    from ..support import operator

    response = await client.post(
        "/v1/invoices",
        json=invoice_body(new_ssin()),
        headers={**operator(tokens), **key()},
    )

    assert response.status_code == 403


async def test_i01_the_openapi_document_describes_the_invoice_bodies(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    single = document["paths"]["/v1/invoices"]["post"]["requestBody"]["content"]
    batch = document["paths"]["/v1/invoice-batches"]["post"]["requestBody"]["content"]
    schema = single["application/json"]["schema"]
    assert set(schema["properties"]) == {
        "ssin",
        "agreement_number",
        "issued_on",
        "corrects_invoice_id",
        "lines",
    }
    assert set(schema["required"]) == {"ssin", "lines"}
    assert schema["properties"]["lines"]["items"]["properties"]["line_number"]["minimum"] == 1
    assert batch["application/json"]["schema"]["properties"]["invoices"]["maxItems"] == 1000
    assert "/v1/invoices/{invoice_id}/credits" in document["paths"]
