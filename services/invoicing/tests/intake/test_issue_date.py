"""C-02 issue date: optional, the submission day when absent, never after submission nor before
the care it bills; stored, published for tariffing's 30-day guarantee, shown, and part of the
body an Idempotency-Key answers for."""

import json
import uuid
from datetime import timedelta

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import CARE_DAY, TODAY, Gp, Line, invoice_body, key, new_ssin


def issued(body: dict[str, object], day: object) -> dict[str, object]:
    return {**body, "issued_on": day.isoformat() if hasattr(day, "isoformat") else day}


async def test_c02_the_issue_date_is_stored_published_and_shown(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = issued(invoice_body(new_ssin()), CARE_DAY + timedelta(days=1))

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 202, response.text
    seen = await client.get(f"/v1/invoices/{response.json()['invoice_id']}", headers=gp.headers)
    assert seen.json()["issued_on"] == (CARE_DAY + timedelta(days=1)).isoformat()
    [submitted] = [json.loads(record.value) for record in await published(INVOICES)]
    assert submitted["data"]["issued_on"] == (CARE_DAY + timedelta(days=1)).isoformat()


async def test_c02_an_invoice_without_issue_date_is_issued_on_the_submission_day(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)

    response = await client.post(
        "/v1/invoices", json=invoice_body(new_ssin()), headers={**gp.headers, **key()}
    )

    assert response.status_code == 202, response.text
    seen = await client.get(f"/v1/invoices/{response.json()['invoice_id']}", headers=gp.headers)
    submitted_day = seen.json()["submitted_at"][:10]
    assert seen.json()["issued_on"] == submitted_day
    [submitted] = [json.loads(record.value) for record in await published(INVOICES)]
    assert submitted["data"]["issued_on"] == submitted_day
    assert submitted["data"]["corrects_invoice_id"] is None


async def test_i01_an_issue_date_after_the_submission_day_is_refused_and_nothing_stored(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    tomorrow = TODAY + timedelta(days=1)
    body = issued(invoice_body(new_ssin()), tomorrow)

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})
    malformed = await client.post(
        "/v1/invoices",
        json=issued(invoice_body(new_ssin()), "2026-02-30"),
        headers={**gp.headers, **key()},
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    [problem] = response.json()["errors"]
    assert (problem["rule"], problem["code"], problem["field"]) == (
        "I-01",
        "invoice.issued_after_submission",
        "issued_on",
    )
    assert tomorrow.isoformat() in problem["message"]
    assert malformed.status_code == 422
    assert [p["field"] for p in malformed.json()["errors"]] == ["issued_on"]
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert listed.json()["items"] == []
    assert await published(INVOICES, expected=0) == []


async def test_i01_care_after_the_issue_date_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    body = issued(
        invoice_body(new_ssin(), Line(), Line(date_of_care=CARE_DAY + timedelta(days=2))),
        CARE_DAY + timedelta(days=1),
    )

    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert response.status_code == 422
    assert [(p["rule"], p["code"], p["field"]) for p in response.json()["errors"]] == [
        ("I-01", "line.care_after_issue", "lines.1.date_of_care")
    ]


async def test_c02_the_issue_date_is_part_of_the_body_a_key_answers_for(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    body = issued(invoice_body(ssin), TODAY)

    first = await client.post("/v1/invoices", json=body, headers=headers)
    retried = await client.post("/v1/invoices", json=body, headers=headers)
    other_day = await client.post("/v1/invoices", json=issued(body, CARE_DAY), headers=headers)
    without = await client.post("/v1/invoices", json=invoice_body(ssin), headers=headers)

    assert first.status_code == retried.status_code == 202
    assert retried.json() == first.json()
    assert other_day.status_code == without.status_code == 409
    assert other_day.json()["errors"][0]["code"] == "idempotency_key.reused"


async def test_c02_a_batch_refuses_only_the_invoice_issued_too_late(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    good = issued(invoice_body(new_ssin()), TODAY)
    late = issued(invoice_body(new_ssin()), TODAY + timedelta(days=3))

    response = await client.post(
        "/v1/invoice-batches", json={"invoices": [good, late]}, headers={**gp.headers, **key()}
    )

    assert response.status_code == 202, response.text
    first, second = response.json()["results"]
    assert first["status"] == "received"
    seen = await client.get(f"/v1/invoices/{first['invoice_id']}", headers=gp.headers)
    assert seen.json()["issued_on"] == TODAY.isoformat()
    assert second["status"] == "refused"
    assert second["problem"]["errors"][0]["code"] == "invoice.issued_after_submission"


async def test_c02_the_openapi_document_describes_the_issue_date(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    body = document["paths"]["/v1/invoices"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    assert "issued_on" in schema["properties"]
    assert "submission day" in schema["properties"]["issued_on"]["description"]
    assert "issued_on" not in schema.get("required", [])
    assert "issued_on" in document["components"]["schemas"]["InvoiceView"]["properties"]
