"""I-01: without an Idempotency-Key a retry could bill twice, so the key is required."""

import httpx
import pytest

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import Gp, invoice_body, key, new_ssin


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}], ids=["missing", "empty"])
async def test_i01_an_invoice_without_an_idempotency_key_is_refused_and_not_stored(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, headers: dict[str, str]
) -> None:
    gp = Gp.new(tokens)

    refused = await client.post(
        "/v1/invoices", json=invoice_body(new_ssin()), headers={**gp.headers, **headers}
    )
    listed = await client.get("/v1/invoices", headers=gp.headers)
    accepted = await client.post(
        "/v1/invoices", json=invoice_body(new_ssin()), headers={**gp.headers, **key()}
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [problem["field"] for problem in refused.json()["errors"]] == ["header.idempotency-key"]
    assert listed.json()["items"] == []
    # Published after the refused one: had the refused invoice been queued, it would show too.
    records = await published(INVOICES)
    assert [record.key for record in records] == [accepted.json()["invoice_id"]]
