"""A correcting invoice replaces the unpaid lines of the GP's own earlier invoice for the same
person: they are cancelled in the same transaction, and the correction is priced and checked for
duplicates like any invoice (I-02). A fully paid invoice is credited instead (I-05)."""

import json
import uuid
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    Gp,
    Line,
    accepted,
    invoice_body,
    key,
    new_ssin,
    operator,
    rejected,
    submit_and_adjudicate,
)


def correcting(original: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "corrects_invoice_id": original["invoice_id"]}


async def test_i01_a_correction_cancels_the_originals_unpaid_lines_and_is_judged_anew(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    original = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(ssin, Line(amount="30.00")), [accepted()]
    )

    correction = await submit_and_adjudicate(
        client, tmp_path, gp, correcting(original, invoice_body(ssin)), [accepted()]
    )
    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    # The same care, corrected: accepted, no duplicate of the cancelled line (I-02).
    assert correction["status"] == "accepted"
    assert correction["corrects_invoice_id"] == original["invoice_id"]
    replaced = await client.get(f"/v1/invoices/{original['invoice_id']}", headers=gp.headers)
    assert replaced.json()["status"] == "cancelled"
    assert replaced.json()["lines"][0]["status"] == "cancelled"
    [record] = replaced.json()["cancellations"]
    assert record["replaced_by"] == correction["invoice_id"]
    assert record["reason"]["code"] == "invoice.corrected"
    assert (run.json()["paid_invoices"], run.json()["amount"]) == (1, "33.51")  # the correction
    events = [json.loads(r.value) for r in await published(INVOICES, expected=6)]
    [cancelled] = [e["data"] for e in events if e["type"] == "mediprima.invoice.lines-cancelled"]
    assert (cancelled["invoice_id"], cancelled["line_numbers"]) == (original["invoice_id"], [1])
    assert cancelled["replaced_by"] == correction["invoice_id"]
    [submitted] = [
        e["data"]
        for e in events
        if e["type"] == "mediprima.invoice.submitted"
        and e["data"]["invoice_id"] == correction["invoice_id"]
    ]
    assert submitted["corrects_invoice_id"] == original["invoice_id"]


async def test_i05_a_paid_invoice_is_credited_not_corrected(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    original = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])
    await client.post("/v1/payment-runs", headers=operator(tokens))

    refused = await client.post(
        "/v1/invoices",
        json=correcting(original, invoice_body(ssin)),
        headers={**gp.headers, **key()},
    )

    assert refused.status_code == 409
    assert [(p["rule"], p["code"]) for p in refused.json()["errors"]] == [
        ("I-05", "correction.invoice_paid")
    ]
    listed = await client.get("/v1/invoices", headers=gp.headers)
    assert [item["invoice_id"] for item in listed.json()["items"]] == [original["invoice_id"]]


async def test_i01_only_the_gps_own_invoice_for_the_same_person_is_corrected(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, colleague, ssin = Gp.new(tokens), Gp.new(tokens), new_ssin()
    original = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [rejected()])

    async def post(by: Gp, body: dict[str, Any]) -> httpx.Response:
        return await client.post("/v1/invoices", json=body, headers={**by.headers, **key()})

    theirs = await post(colleague, correcting(original, invoice_body(ssin)))
    unknown = await post(gp, {**invoice_body(ssin), "corrects_invoice_id": str(uuid.uuid4())})
    other_person = await post(gp, correcting(original, invoice_body(new_ssin())))

    for response in (theirs, unknown):
        assert response.status_code == 422
        assert [(p["code"], p["field"]) for p in response.json()["errors"]] == [
            ("invoice.corrects_unknown", "corrects_invoice_id")
        ]
    assert other_person.status_code == 422
    assert other_person.json()["errors"][0]["code"] == "invoice.corrects_other_person"
    seen = await client.get(f"/v1/invoices/{original['invoice_id']}", headers=gp.headers)
    assert seen.json()["status"] == "rejected"


async def test_i01_a_retried_correction_gets_its_first_answer_and_a_second_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    original = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [rejected()])
    headers = {**gp.headers, **key()}
    body = correcting(original, invoice_body(ssin))

    first = await client.post("/v1/invoices", json=body, headers=headers)
    retried = await client.post("/v1/invoices", json=body, headers=headers)
    second = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})

    assert first.status_code == retried.status_code == 202
    assert retried.json() == first.json()
    assert second.status_code == 409
    assert second.json()["errors"][0]["code"] == "correction.invoice_cancelled"
    seen = await client.get(f"/v1/invoices/{original['invoice_id']}", headers=gp.headers)
    assert len(seen.json()["cancellations"]) == 1


async def test_i01_a_correction_in_a_batch_is_refused_on_its_own(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    original = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])
    body = correcting(original, invoice_body(ssin))

    response = await client.post(
        "/v1/invoice-batches",
        json={"invoices": [body, body, invoice_body(new_ssin())]},
        headers={**gp.headers, **key()},
    )

    assert response.status_code == 202, response.text
    first, twice, other = response.json()["results"]
    assert (first["status"], other["status"]) == ("received", "received")
    assert twice["status"] == "refused"
    assert twice["problem"]["status"] == 409
    assert twice["problem"]["errors"][0]["code"] == "correction.invoice_cancelled"
    seen = await client.get(f"/v1/invoices/{original['invoice_id']}", headers=gp.headers)
    assert seen.json()["cancellations"][0]["replaced_by"] == first["invoice_id"]
