"""I-05: a credit of paid lines is owed back by the provider and offset from its next payments,
each recovery once, a balance carried forward until nothing is owed; the statement shows it."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import Gp, accepted, invoice_body, new_ssin, operator, submit_and_adjudicate


async def pay(client: httpx.AsyncClient, tokens: TokenFactory) -> dict[str, Any]:
    run = await client.post("/v1/payment-runs", headers=operator(tokens))
    assert run.status_code == 200, run.text
    body: dict[str, Any] = run.json()
    return body


async def paid_and_credited(
    client: httpx.AsyncClient, tokens: TokenFactory, workdir: Path, gp: Gp, state: str, ocmw: str
) -> str:
    invoice = await submit_and_adjudicate(
        client, workdir, gp, invoice_body(new_ssin()), [accepted(state, ocmw)]
    )
    await pay(client, tokens)
    credit = await client.post(
        f"/v1/invoices/{invoice['invoice_id']}/credits",
        json={"line_numbers": [1], "reason": "Care not given"},
        headers=operator(tokens),
    )
    assert credit.status_code == 201, credit.text
    assert credit.json()["recovery_amount"] == str(Decimal(state) + Decimal(ocmw))
    reference: str = credit.json()["credit_reference"]
    return reference


async def test_i05_a_credit_of_a_paid_line_is_offset_from_the_next_payment(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    credit = await paid_and_credited(client, tokens, tmp_path, gp, "29.51", "4.00")
    later = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted("50.00", "10.00")]
    )

    run = await pay(client, tokens)

    [payment] = run["payments"]
    assert (payment["lines_amount"], payment["recovered"], payment["amount"]) == (
        "60.00",
        "33.51",
        "26.49",
    )
    assert payment["balance_owed"] == "0.00"
    assert payment["recoveries"] == [
        {"credit_reference": credit, "invoice_id": payment["recoveries"][0]["invoice_id"],
         "amount": "33.51"}
    ]  # fmt: skip
    assert run["amount"] == "26.49"
    events = [json.loads(record.value) for record in await published(INVOICES, expected=8)]
    [paid_later] = [
        e["data"]
        for e in events
        if e["type"] == "mediprima.invoice.paid" and e["data"]["invoice_id"] == later["invoice_id"]
    ]
    assert paid_later["amount"] == "60.00"  # the lines paid; the recovery is the provider's
    again = await pay(client, tokens)
    assert again["payments"] == []


async def test_i05_a_balance_larger_than_the_next_payment_is_carried_to_the_one_after(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    credit = await paid_and_credited(client, tokens, tmp_path, gp, "50.00", "10.00")

    await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted("29.51", "4.00")]
    )
    [first] = (await pay(client, tokens))["payments"]
    owing = await client.get(f"/v1/providers/{gp.riziv}/payments", headers=gp.headers)
    await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted("29.51", "4.00")]
    )
    [second] = (await pay(client, tokens))["payments"]
    settled = await client.get(f"/v1/providers/{gp.riziv}/payments", headers=gp.headers)

    assert (first["lines_amount"], first["recovered"], first["amount"]) == (
        "33.51",
        "33.51",
        "0.00",
    )
    assert first["balance_owed"] == "26.49"
    assert owing.json()["balance_owed"] == "26.49"
    [open_recovery] = owing.json()["open_recoveries"]
    assert (open_recovery["credit_reference"], open_recovery["amount"]) == (credit, "60.00")
    assert open_recovery["outstanding"] == "26.49"
    assert (second["recovered"], second["amount"], second["balance_owed"]) == (
        "26.49",
        "7.02",
        "0.00",
    )
    statement = settled.json()
    assert statement["balance_owed"] == "0.00"
    assert statement["open_recoveries"] == []
    newest, middle, oldest = statement["payments"]
    assert [p["payment_reference"] for p in (newest, middle)] == [
        second["payment_reference"],
        first["payment_reference"],
    ]
    # Reconciled to the cent: what was recovered is exactly what the credit took back.
    recovered = [Decimal(r["amount"]) for p in statement["payments"] for r in p["recoveries"]]
    assert sum(recovered) == Decimal("60.00")
    assert {r["credit_reference"] for p in statement["payments"] for r in p["recoveries"]} == {
        credit
    }
    assert oldest["recoveries"] == []
    assert [invoice["amount"] for invoice in oldest["invoices"]] == ["60.00"]


async def test_i05_a_provider_reads_only_its_own_statement(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, colleague = Gp.new(tokens), Gp.new(tokens)
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])
    await pay(client, tokens)

    own = await client.get(f"/v1/providers/{gp.riziv}/payments", headers=gp.headers)
    theirs = await client.get(f"/v1/providers/{gp.riziv}/payments", headers=colleague.headers)
    by_operator = await client.get(f"/v1/providers/{gp.riziv}/payments", headers=operator(tokens))
    malformed = await client.get("/v1/providers/12/payments", headers=operator(tokens))

    assert own.status_code == 200
    assert [p["amount"] for p in own.json()["payments"]] == ["33.51"]
    assert own.json()["next_offset"] is None
    assert theirs.status_code == 403
    assert theirs.json()["errors"][0]["code"] == "provider.not_caller"
    assert by_operator.json() == own.json()
    assert malformed.status_code == 422
