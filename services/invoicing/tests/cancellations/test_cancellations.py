"""A GP cancels its own invoice, or some of its lines, before they are paid: the lines are never
paid, the status follows, `InvoiceLinesCancelled` is published; paid lines are credited instead."""

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
    adjudicated,
    deliver,
    invoice_body,
    key,
    new_ssin,
    operator,
    priced,
    submit,
    submit_and_adjudicate,
)

TWO_LINES = (Line(), Line(code="102771", amount="38.16"))


async def cancel(
    client: httpx.AsyncClient, gp: Gp, invoice_id: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(
        f"/v1/invoices/{invoice_id}/cancellations",
        json=body,
        headers={**gp.headers, **(headers or key())},
    )


def cancelled_events(records: list[Any]) -> list[dict[str, Any]]:
    events = [json.loads(record.value) for record in records]
    return [e["data"] for e in events if e["type"] == "mediprima.invoice.lines-cancelled"]


async def test_i05_cancelled_lines_are_never_paid_and_the_status_follows(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()] * 2)

    response = await cancel(client, gp, invoice["invoice_id"], {"line_numbers": [2],
                            "reason": "Billed twice"})  # fmt: skip
    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert response.status_code == 201, response.text
    assert response.json()["line_numbers"] == [2]
    assert response.json()["status"] == "accepted"
    assert response.json()["reason"] == {
        "rule": "I-01", "code": "invoice.lines_cancelled", "message": "Billed twice", "field": None
    }  # fmt: skip
    assert run.json()["amount"] == "33.51"
    seen = (await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)).json()
    assert [line["status"] for line in seen["lines"]] == ["accepted", "cancelled"]
    assert seen["lines"][1]["payment_reference"] is None
    assert seen["status"] == "paid"
    [record] = seen["cancellations"]
    assert (record["line_numbers"], record["replaced_by"]) == ([2], None)
    [event] = cancelled_events(await published(INVOICES, expected=4))
    assert (event["invoice_id"], event["line_numbers"]) == (invoice["invoice_id"], [2])
    assert event["provider"] == gp.riziv
    assert event["replaced_by"] is None


async def test_i03_cancelling_every_line_cancels_the_invoice(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()] * 2)

    response = await cancel(client, gp, invoice["invoice_id"], {"reason": "Wrong patient"})
    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert response.status_code == 201, response.text
    assert (response.json()["line_numbers"], response.json()["status"]) == ([1, 2], "cancelled")
    assert run.json()["paid_invoices"] == 0
    seen = (await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)).json()
    assert seen["status"] == "cancelled"
    assert [change["status"] for change in seen["history"]] == [
        "received",
        "accepted",
        "cancelled",
    ]
    listed = await client.get("/v1/invoices", params={"status": "cancelled"}, headers=gp.headers)
    assert [item["invoice_id"] for item in listed.json()["items"]] == [invoice["invoice_id"]]


async def test_i05_a_paid_line_is_not_cancelled_but_credited(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
    )
    await client.post("/v1/payment-runs", headers=operator(tokens))

    response = await cancel(client, gp, invoice["invoice_id"], {"reason": "too late"})

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [(p["rule"], p["code"], p["field"]) for p in response.json()["errors"]] == [
        ("I-05", "cancellation.line_paid", "line_numbers")
    ]
    seen = (await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)).json()
    assert seen["lines"][0]["status"] == "accepted"
    assert seen["cancellations"] == []


async def test_i01_a_cancellation_is_retry_safe_with_its_key(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()] * 2)
    same_key = {"Idempotency-Key": str(uuid.uuid4())}
    request = {"line_numbers": [1], "reason": "Billed twice"}

    first = await cancel(client, gp, invoice["invoice_id"], request, **same_key)
    retried = await cancel(client, gp, invoice["invoice_id"], request, **same_key)
    other = await cancel(client, gp, invoice["invoice_id"], {**request, "line_numbers": [2]},
                         **same_key)  # fmt: skip
    without_key = await client.post(
        f"/v1/invoices/{invoice['invoice_id']}/cancellations", json=request, headers=gp.headers
    )

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert other.status_code == 409
    assert other.json()["errors"][0]["code"] == "idempotency_key.reused"
    assert without_key.status_code == 422
    assert len(cancelled_events(await published(INVOICES, expected=3))) == 1


async def test_i01_only_the_invoicing_gp_cancels_and_only_lines_it_has(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, colleague = Gp.new(tokens), Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()] * 2)
    url = f"/v1/invoices/{invoice['invoice_id']}/cancellations"
    await cancel(client, gp, invoice["invoice_id"], {"line_numbers": [2], "reason": "x"})

    theirs = await cancel(client, colleague, invoice["invoice_id"], {"reason": "x"})
    by_operator = await client.post(
        url, json={"reason": "x"}, headers={**operator(tokens), **key()}
    )
    unknown = await cancel(client, gp, invoice["invoice_id"],
                           {"line_numbers": [1, 1, 7], "reason": "x"})  # fmt: skip
    again = await cancel(client, gp, invoice["invoice_id"], {"line_numbers": [2], "reason": "x"})
    no_reason = await cancel(client, gp, invoice["invoice_id"], {"line_numbers": [1]})

    assert theirs.status_code == 404
    assert theirs.json()["errors"][0]["code"] == "invoice.not_found"
    assert by_operator.status_code == 403
    assert unknown.status_code == 422
    assert [(p["code"], p["field"]) for p in unknown.json()["errors"]] == [
        ("cancellation.line_repeated", "line_numbers"),
        ("cancellation.line_unknown", "line_numbers.2"),
    ]
    assert again.status_code == 409
    assert [(p["rule"], p["code"]) for p in again.json()["errors"]] == [
        ("I-01", "cancellation.line_already_cancelled")
    ]
    assert no_reason.status_code == 422


async def test_i02_a_cancelled_line_frees_its_care_for_a_new_invoice(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    first = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])
    await cancel(client, gp, first["invoice_id"], {"reason": "Wrong amount"})

    again = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])

    assert again["status"] == "accepted"


async def test_i03_lines_cancelled_while_pricing_runs_stay_cancelled(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    partly = await submit(client, gp, body)
    wholly = await submit(client, gp, invoice_body(new_ssin()))
    await cancel(client, gp, partly, {"line_numbers": [2], "reason": "x"})
    await cancel(client, gp, wholly, {"reason": "x"})

    await deliver(tmp_path, priced(wholly, gp, invoice_body(new_ssin()), [accepted()]))
    await deliver(tmp_path, priced(partly, gp, body, [accepted(), accepted()]))
    seen = await adjudicated(client, gp, partly)
    still = (await client.get(f"/v1/invoices/{wholly}", headers=gp.headers)).json()

    assert seen["status"] == "accepted"
    assert [line["status"] for line in seen["lines"]] == ["accepted", "cancelled"]
    assert still["status"] == "cancelled"
    events = [json.loads(record.value) for record in await published(INVOICES, expected=5)]
    verdicts = {
        e["data"]["invoice_id"]: [line["line_number"] for line in e["data"]["lines"]]
        for e in events
        if e["type"] == "mediprima.invoice.adjudicated"
    }
    assert verdicts == {partly: [1]}
