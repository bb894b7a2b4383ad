"""Reading: only the caller's own invoices, filtered and paginated."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from servicekit.testing import TokenFactory

from ..support import Gp, accepted, invoice_body, new_ssin, operator, submit, submit_and_adjudicate


async def test_i01_another_providers_invoice_is_not_found(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    owner, stranger = Gp.new(tokens), Gp.new(tokens)
    invoice_id = await submit(client, owner, invoice_body(new_ssin()))

    theirs = await client.get(f"/v1/invoices/{invoice_id}", headers=stranger.headers)
    unknown = await client.get("/v1/invoices/no-such-invoice", headers=owner.headers)
    as_operator = await client.get(f"/v1/invoices/{invoice_id}", headers=operator(tokens))

    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["errors"][0]["code"] == unknown.json()["errors"][0]["code"]
    assert theirs.json()["errors"][0]["code"] == "invoice.not_found"
    assert as_operator.status_code == 200
    listed = await client.get("/v1/invoices", headers=stranger.headers)
    assert listed.json()["items"] == []


async def test_i01_the_list_filters_by_status_and_period_and_pages(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    started = datetime.now(UTC) - timedelta(seconds=1)
    received = [await submit(client, gp, invoice_body(new_ssin())) for _ in range(3)]
    done = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])

    page_one = await client.get("/v1/invoices?limit=2", headers=gp.headers)
    page_two = await client.get("/v1/invoices?limit=2&offset=2", headers=gp.headers)
    only_accepted = await client.get("/v1/invoices?status=accepted", headers=gp.headers)
    in_period = await client.get(
        "/v1/invoices",
        params={"from": started.isoformat(), "to": (started + timedelta(hours=1)).isoformat()},
        headers=gp.headers,
    )
    before = await client.get(
        "/v1/invoices", params={"to": started.date().isoformat()}, headers=gp.headers
    )
    bad_status = await client.get("/v1/invoices?status=lost", headers=gp.headers)

    ids = [item["invoice_id"] for item in page_one.json()["items"] + page_two.json()["items"]]
    assert ids == [*received, done["invoice_id"]]
    assert page_one.json()["next_offset"] == 2
    assert page_two.json()["next_offset"] is None
    assert [item["invoice_id"] for item in only_accepted.json()["items"]] == [done["invoice_id"]]
    assert len(in_period.json()["items"]) == 4
    assert before.json()["items"] == []
    assert bad_status.status_code == 422
