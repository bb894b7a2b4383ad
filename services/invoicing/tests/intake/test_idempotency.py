"""I-01 idempotency: GP software retries; the same key never makes a second invoice."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from invoicing.main import service
from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service

from ..support import Gp, Line, invoice_body, new_ssin


async def test_i01_a_retry_after_a_lost_response_gets_the_first_answer(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), Line(), Line(code="102771", amount="38.16"))
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/v1/invoices", json=body, headers=headers)
    # The answer is lost on the way back; the software sends the same body again, keys reordered.
    retried = await client.post("/v1/invoices", json=dict(reversed(body.items())), headers=headers)

    assert first.status_code == retried.status_code == 202
    assert retried.json() == first.json()
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert [item["invoice_id"] for item in listed.json()["items"]] == [first.json()["invoice_id"]]
    assert len(await published(INVOICES, expected=2)) == 1


async def test_i01_the_same_key_with_another_body_is_a_conflict(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    await client.post("/v1/invoices", json=invoice_body(new_ssin()), headers=headers)

    response = await client.post("/v1/invoices", json=invoice_body(new_ssin()), headers=headers)

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "idempotency_key.reused"


async def test_i01_keys_belong_to_their_provider(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = invoice_body(new_ssin())

    one = await client.post("/v1/invoices", json=body, headers={**Gp.new(tokens).headers, **key})
    other = await client.post("/v1/invoices", json=body, headers={**Gp.new(tokens).headers, **key})

    assert one.status_code == other.status_code == 202
    assert one.json()["invoice_id"] != other.json()["invoice_id"]


async def test_i01_a_concurrent_double_submit_makes_exactly_one_invoice(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin())
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}

    answers = await asyncio.gather(
        *[client.post("/v1/invoices", json=body, headers=headers) for _ in range(5)]
    )

    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.json()["invoice_id"] for answer in answers}) == 1
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert len(listed.json()["items"]) == 1
    events = [json.loads(record.value) for record in await published(INVOICES, expected=2)]
    assert len(events) == 1


@pytest.fixture
async def postgres_client(tmp_path: Path, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The service on PostgreSQL, where concurrent requests really interleave."""
    async with postgres_database("inv_idem") as url:
        settings = embedded_settings(service, tmp_path, tokens).model_copy(
            update={"database_url": url}
        )
        async with running_service(service, settings) as http:
            yield http


@pytest.mark.postgres
async def test_i01_a_concurrent_double_submit_on_postgresql_makes_exactly_one_invoice(
    postgres_client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), Line(), Line(code="102771", amount="38.16"))
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    batch_headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}

    answers = await asyncio.gather(
        *[postgres_client.post("/v1/invoices", json=body, headers=headers) for _ in range(8)]
    )
    batches = await asyncio.gather(
        *[
            postgres_client.post(
                "/v1/invoice-batches", json={"invoices": [body]}, headers=batch_headers
            )
            for _ in range(4)
        ]
    )

    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.json()["invoice_id"] for answer in answers}) == 1
    assert {answer.status_code for answer in batches} == {202}
    assert len({answer.json()["batch_id"] for answer in batches}) == 1
    listed = await postgres_client.get("/v1/invoices", headers=gp.headers)
    assert len(listed.json()["items"]) == 2
