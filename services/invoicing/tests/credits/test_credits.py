"""Credits: accepted lines taken back before or after payment, published, never rewritten."""

import json
from pathlib import Path

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    Gp,
    Line,
    accepted,
    invoice_body,
    new_person_id,
    new_ssin,
    operator,
    rejected,
)
from ..support import submit_and_adjudicate as adjudicate

TWO_LINES = (Line(), Line(code="102771", amount="38.16"))


def credited_events(records: list) -> list[dict]:  # type: ignore[type-arg]
    events = [json.loads(record.value) for record in records]
    return [e["data"] for e in events if e["type"] == "mediprima.invoice.lines-credited"]


async def test_i05_a_line_credited_before_payment_is_never_paid(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await adjudicate(client, tmp_path, gp, body, [accepted(), accepted("30.00", "8.16")])

    credit = await client.post(
        f"/v1/invoices/{invoice['invoice_id']}/credits",
        json={"line_numbers": [2], "reason": "Billed by mistake"},
        headers=operator(tokens),
    )
    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert credit.status_code == 201
    assert credit.json()["payment_reference"] is None
    assert credit.json()["amount"] == "38.16"
    assert run.json()["amount"] == "33.51"
    seen = (await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)).json()
    assert [line["status"] for line in seen["lines"]] == ["accepted", "credited"]
    assert seen["lines"][1]["credit_reference"] == credit.json()["credit_reference"]
    assert seen["lines"][1]["payment_reference"] is None
    assert seen["lines"][1]["state_share"] == "30.00"  # history kept as adjudicated
    assert seen["credits"][0]["reason"]["message"] == "Billed by mistake"
    [event] = credited_events(await published(INVOICES, expected=5))
    assert event["payment_reference"] is None
    assert [line["line_number"] for line in event["lines"]] == [2]
    assert event["reason"]["rule"] == "I-03"  # the payer's correction of a verdict


async def test_i05_a_line_credited_after_payment_refers_to_its_payment(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    invoice = await adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])
    run = await client.post("/v1/payment-runs", headers=operator(tokens))
    reference = run.json()["payments"][0]["payment_reference"]

    credit = await client.post(
        f"/v1/invoices/{invoice['invoice_id']}/credits",
        json={"line_numbers": [1], "reason": {"code": "care.not_given", "message": "Not given"}},
        headers=operator(tokens),
    )
    again = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert credit.status_code == 201
    assert credit.json()["payment_reference"] == reference
    assert again.json()["paid_invoices"] == 0
    seen = (await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)).json()
    assert seen["status"] == "paid"
    assert seen["payment"]["payment_reference"] == reference
    assert seen["lines"][0]["status"] == "credited"
    assert seen["lines"][0]["payment_reference"] == reference
    [event] = credited_events(await published(INVOICES, expected=4))
    assert event["payment_reference"] == reference
    assert event["reason"]["code"] == "care.not_given"
    assert event["lines"][0]["state_share"] == "29.51"


async def test_i03_only_accepted_lines_are_credited_and_only_once(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    body = invoice_body(new_ssin(), *TWO_LINES)
    invoice = await adjudicate(client, tmp_path, gp, body, [accepted(), rejected()])
    url = f"/v1/invoices/{invoice['invoice_id']}/credits"
    first = await client.post(
        url, json={"line_numbers": [1], "reason": "x"}, headers=operator(tokens)
    )

    refused = await client.post(
        url, json={"line_numbers": [1, 2, 9], "reason": "x"}, headers=operator(tokens)
    )
    by_gp = await client.post(url, json={"line_numbers": [1], "reason": "x"}, headers=gp.headers)
    unknown = await client.post(
        "/v1/invoices/nope/credits",
        json={"line_numbers": [1], "reason": "x"},
        headers=operator(tokens),
    )

    assert first.status_code == 201
    assert refused.status_code == 422
    assert [(p["rule"], p["field"], p["code"]) for p in refused.json()["errors"]] == [
        ("I-03", "line_numbers.0", "credit.line_already_credited"),
        ("I-03", "line_numbers.1", "credit.line_not_accepted"),
        ("I-03", "line_numbers.2", "credit.line_unknown"),
    ]
    assert by_gp.status_code == 403
    assert unknown.status_code == 404


async def test_i02_a_credited_line_can_be_billed_again(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    invoice = await adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])
    await client.post(
        f"/v1/invoices/{invoice['invoice_id']}/credits",
        json={"line_numbers": [1], "reason": "wrong amount"},
        headers=operator(tokens),
    )

    corrected = await adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])

    assert corrected["status"] == "accepted"


async def test_i05_paid_and_credited_lines_name_the_person_pricing_named(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp, person = Gp.new(tokens), new_person_id()
    named = await adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()], person_id=person
    )
    unnamed = await adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])
    await client.post("/v1/payment-runs", headers=operator(tokens))
    for invoice in (named, unnamed):
        credit = await client.post(
            f"/v1/invoices/{invoice['invoice_id']}/credits",
            json={"line_numbers": [1], "reason": "Billed by mistake"},
            headers=operator(tokens),
        )
        assert credit.status_code == 201

    events = [json.loads(record.value) for record in await published(INVOICES, expected=8)]

    people = {
        (event["type"].rsplit(".", 1)[1], event["data"]["invoice_id"]): event["data"]["person_id"]
        for event in events
        if event["type"] != "mediprima.invoice.submitted"
    }
    assert people == {
        (kind, invoice["invoice_id"]): person_id
        for kind in ("adjudicated", "paid", "lines-credited")
        for invoice, person_id in ((named, person), (unnamed, None))
    }


async def test_i03_a_credit_or_cancellation_with_an_empty_reason_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    """Found by fuzzing: an empty text reason passed the request's schema and failed later, a
    500. It is now the request's own 422, for credits and for cancellations alike."""
    gp = Gp.new(tokens)
    invoice = await adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])
    path = f"/v1/invoices/{invoice['invoice_id']}"

    credit = await client.post(
        f"{path}/credits", json={"line_numbers": [1], "reason": ""}, headers=operator(tokens)
    )
    cancellation = await client.post(
        f"{path}/cancellations",
        json={"reason": ""},
        headers={**gp.headers, "Idempotency-Key": new_ssin()},
    )
    too_long = await client.post(
        f"{path}/credits", json={"line_numbers": [1], "reason": "x" * 501}, headers=operator(tokens)
    )

    for refused in (credit, cancellation, too_long):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    seen = (await client.get(path, headers=gp.headers)).json()
    assert seen["lines"][0]["status"] == "accepted"
    assert seen["credits"] == []
    assert seen["cancellations"] == []
