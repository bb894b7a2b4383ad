"""A correction or a cancellation sent several times at once (a client retrying) replaces or
cancels the lines once and answers every retry alike; on SQLite and on PostgreSQL, where the
requests really interleave."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from invoicing.main import service
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service

from ..support import Gp, Line, invoice_body, new_ssin, submit


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def any_client(
    request: pytest.FixtureRequest, tmp_path: Path, tokens: TokenFactory
) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncExitStack() as stack:
        settings = embedded_settings(service, tmp_path, tokens)
        if request.param == "postgres":
            url = await stack.enter_async_context(postgres_database("inv_corr"))
            settings = settings.model_copy(update={"database_url": url})
        yield await stack.enter_async_context(running_service(service, settings))


async def test_i01_a_correction_sent_at_once_several_times_replaces_the_lines_once(
    any_client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    original = await submit(any_client, gp, invoice_body(ssin, Line(), Line(code="102771")))
    correction = {**invoice_body(ssin), "corrects_invoice_id": original}
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}

    answers = await asyncio.gather(
        *[any_client.post("/v1/invoices", json=correction, headers=headers) for _ in range(6)]
    )

    assert {answer.status_code for answer in answers} == {202}, [a.text for a in answers]
    assert len({answer.json()["invoice_id"] for answer in answers}) == 1
    seen = (await any_client.get(f"/v1/invoices/{original}", headers=gp.headers)).json()
    assert seen["status"] == "cancelled"
    assert [record["line_numbers"] for record in seen["cancellations"]] == [[1, 2]]


async def test_i01_a_cancellation_sent_at_once_several_times_cancels_once(
    any_client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    invoice = await submit(any_client, gp, invoice_body(new_ssin(), Line(), Line(code="102771")))
    headers = {**gp.headers, "Idempotency-Key": str(uuid.uuid4())}
    url = f"/v1/invoices/{invoice}/cancellations"

    answers = await asyncio.gather(
        *[any_client.post(url, json={"reason": "x"}, headers=headers) for _ in range(6)]
    )

    assert {answer.status_code for answer in answers} == {201}, [a.text for a in answers]
    assert len({answer.json()["cancellation_id"] for answer in answers}) == 1
    seen = (await any_client.get(f"/v1/invoices/{invoice}", headers=gp.headers)).json()
    assert len(seen["cancellations"]) == 1
