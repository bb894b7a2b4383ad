"""Batch intake: the end-of-day upload, each invoice answered on its own, retry-safe."""

import json
import uuid

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import Gp, Line, invoice_body, new_ssin


async def test_i01_a_bad_invoice_does_not_fail_the_others_of_its_batch(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    bad = invoice_body("12345678901", Line(amount="-1.00"))
    batch = {"invoices": [invoice_body(new_ssin()), bad, invoice_body(new_ssin(), Line(), Line())]}

    response = await client.post(
        "/v1/invoice-batches", json=batch, headers={**gp.headers, "Idempotency-Key": "day-1"}
    )

    assert response.status_code == 202
    answer = response.json()
    assert (answer["received"], answer["refused"]) == (2, 1)
    results = answer["results"]
    assert [result["index"] for result in results] == [0, 1, 2]
    assert [result["status"] for result in results] == ["received", "refused", "received"]
    assert results[1]["invoice_id"] is None
    assert results[1]["problem"]["status"] == 422
    assert {problem["field"] for problem in results[1]["problem"]["errors"]} == {
        "ssin",
        "lines.0.amount",
    }
    for result in (results[0], results[2]):
        seen = await client.get(f"/v1/invoices/{result['invoice_id']}", headers=gp.headers)
        assert seen.json()["status"] == "received"
    events = [json.loads(record.value) for record in await published(INVOICES, expected=2)]
    assert sorted(event["data"]["invoice_id"] for event in events) == sorted(
        [results[0]["invoice_id"], results[2]["invoice_id"]]
    )


async def test_i01_a_retried_batch_gets_the_first_answer_and_another_body_a_conflict(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    batch = {"invoices": [invoice_body(new_ssin()) for _ in range(3)]}

    first = await client.post("/v1/invoice-batches", json=batch, headers=headers)
    retried = await client.post("/v1/invoice-batches", json=batch, headers=headers)
    other = await client.post(
        "/v1/invoice-batches", json={"invoices": [invoice_body(new_ssin())]}, headers=headers
    )

    assert first.status_code == retried.status_code == 202
    assert retried.json() == first.json()
    assert other.status_code == 409
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert len(listed.json()["items"]) == 3


async def test_i01_a_batch_holds_one_to_a_thousand_invoices(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    too_many = {"invoices": [invoice_body(new_ssin())] * 1001}

    for batch in ({"invoices": []}, too_many, [invoice_body(new_ssin())]):
        response = await client.post(
            "/v1/invoice-batches", json=batch, headers={**gp.headers, "Idempotency-Key": "k"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "batch.invoices"


async def test_i01_a_full_batch_of_a_thousand_invoices_is_received(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    batch = {"invoices": [invoice_body(new_ssin(), Line(), Line()) for _ in range(1000)]}

    response = await client.post(
        "/v1/invoice-batches", json=batch, headers={**gp.headers, "Idempotency-Key": "full"}
    )

    assert response.status_code == 202
    assert response.json()["received"] == 1000
    page = await client.get("/v1/invoices?limit=200&offset=800", headers=gp.headers)
    assert len(page.json()["items"]) == 200
    assert page.json()["next_offset"] is None
