"""I-05: accepted lines are paid once, one payment per provider per run."""

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import httpx
from typer.testing import CliRunner

from invoicing.payments.cli import app as payments_cli
from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    Gp,
    Line,
    accepted,
    invoice_body,
    new_ssin,
    operator,
    rejected,
    submit,
    submit_and_adjudicate,
)


async def test_i05_a_run_pays_each_provider_once_for_its_accepted_lines(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp, colleague = Gp.new(tokens), Gp.new(tokens)
    two = invoice_body(new_ssin(), Line(), Line(code="102771", amount="38.16"))
    partly = await submit_and_adjudicate(
        client, tmp_path, gp, two, [accepted("29.51", "4.00"), rejected()]
    )
    whole = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted("20.00", "1.50", "12.01")]
    )
    theirs = await submit_and_adjudicate(
        client, tmp_path, colleague, invoice_body(new_ssin()), [accepted("10.00", "0.00")]
    )
    refused = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [rejected()]
    )
    waiting = await submit(client, gp, invoice_body(new_ssin()))

    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert run.status_code == 200
    assert run.json()["paid_invoices"] == 3
    assert run.json()["amount"] == "65.01"
    payments = {payment["provider"]: payment for payment in run.json()["payments"]}
    assert set(payments) == {gp.riziv, colleague.riziv}
    assert payments[gp.riziv]["amount"] == "55.01"
    assert payments[colleague.riziv]["amount"] == "10.00"
    paid = {
        invoice["invoice_id"]: (
            await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=owner.headers)
        ).json()
        for invoice, owner in ((partly, gp), (whole, gp), (theirs, colleague), (refused, gp))
    }
    assert paid[partly["invoice_id"]]["status"] == "paid"
    assert paid[partly["invoice_id"]]["payment"]["amount"] == "33.51"
    assert (
        paid[partly["invoice_id"]]["payment"]["payment_reference"]
        == (payments[gp.riziv]["payment_reference"])
    )
    assert paid[partly["invoice_id"]]["lines"][1]["payment_reference"] is None
    assert (
        paid[whole["invoice_id"]]["payment"]["payment_reference"]
        == (payments[gp.riziv]["payment_reference"])
    )
    assert [change["status"] for change in paid[whole["invoice_id"]]["history"]] == [
        "received",
        "accepted",
        "paid",
    ]
    assert paid[refused["invoice_id"]]["status"] == "rejected"
    assert paid[refused["invoice_id"]]["payment"] is None
    waiting_view = await client.get(f"/v1/invoices/{waiting}", headers=gp.headers)
    assert waiting_view.json()["status"] == "received"

    events = [json.loads(record.value) for record in await published(INVOICES, expected=12)]
    paid_events = [event["data"] for event in events if event["type"] == "mediprima.invoice.paid"]
    assert sorted(event["invoice_id"] for event in paid_events) == sorted(
        [partly["invoice_id"], whole["invoice_id"], theirs["invoice_id"]]
    )
    for event in paid_events:
        owed = sum(
            Decimal(line["state_share"]) + Decimal(line["ocmw_share"]) for line in event["lines"]
        )
        assert Decimal(event["amount"]) == owed
        assert event["payment_reference"] == payments[event["provider"]]["payment_reference"]
    assert [
        line["line_number"]
        for line in next(
            event for event in paid_events if event["invoice_id"] == partly["invoice_id"]
        )["lines"]
    ] == [1]


async def test_i05_a_second_run_pays_nothing(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])

    first = await client.post("/v1/payment-runs", headers=operator(tokens))
    second = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert first.json()["paid_invoices"] == 1
    assert (second.json()["paid_invoices"], second.json()["amount"]) == (0, "0.00")
    assert second.json()["payments"] == []
    assert second.json()["run_id"] != first.json()["run_id"]


async def test_i05_only_operators_run_payments(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post("/v1/payment-runs", headers=Gp.new(tokens).headers)

    assert response.status_code == 403


def summary(output: str) -> dict[str, object]:
    """The run's JSON summary, printed after the one-line JSON log records."""
    parsed: dict[str, object] = json.loads(output[output.index("{\n") :])
    return parsed


async def test_i05_the_cli_runs_the_same_payment_run(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
    )
    url = f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}"

    command = ["run", "--database-url", url]
    result = await asyncio.to_thread(CliRunner().invoke, payments_cli, command)
    again = await asyncio.to_thread(CliRunner().invoke, payments_cli, command)

    assert result.exit_code == 0, result.output
    assert summary(result.output)["paid_invoices"] == 1
    assert summary(again.output)["paid_invoices"] == 0
    seen = await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)
    assert seen.json()["status"] == "paid"
