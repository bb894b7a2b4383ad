"""Refusals a GP sees before invoicing (T-04, T-06), and the same refusal on an invoice."""

from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events import InvoicePriced
from mediprima_contracts.events.topics import PRICING
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.events import (
    example_invoice_submitted,
)
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver

CARE_DAY = "2025-03-10"


async def simulate(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    ssin: str,
    lines: list[dict[str, Any]],
    day: str = CARE_DAY,
) -> httpx.Response:
    return await client.post(
        "/v1/pricing-simulations",
        json={"ssin": ssin, "date": day, "lines": lines},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )


async def test_t06_a_person_without_a_decision_is_refused_in_a_simulation(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await simulate(client, tokens, random_ssin(), [{"code": "101032"}])

    assert response.status_code == 200
    [line] = response.json()["lines"]
    assert line["refusal"]["rule"] == "C-01"
    assert line["refusal"]["code"] == "decision.none"
    assert line["state_share"] == "0.00"


async def test_t06_a_date_in_the_future_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await simulate(client, tokens, random_ssin(), [{"code": "101032"}], "2199-01-01")

    refusal = response.json()["lines"][0]["refusal"]
    assert (refusal["rule"], refusal["code"]) == ("T-06", "care.date_in_future")


async def test_t04_an_ocmw_may_not_simulate(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/pricing-simulations",
        json={"ssin": random_ssin(), "date": CARE_DAY, "lines": [{"code": "101032"}]},
        headers=tokens.headers(Role.OCMW, "0212345678"),
    )

    assert response.status_code == 403


async def test_t06_an_invoice_for_a_person_without_a_decision_is_rejected_line_by_line(
    published: ReadTopic, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    invoice = example_invoice_submitted(
        agreement_number=None,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "30.00"}],
    )

    await deliver(tmp_path, invoice)
    [record] = await published(PRICING)

    priced = parse_envelope(record.value).data
    assert isinstance(priced, InvoicePriced)
    assert priced.invoice_id == invoice.invoice_id
    [line] = priced.lines
    assert line.verdict == "rejected"
    assert [(reason.rule, reason.code) for reason in line.reasons] == [("C-01", "decision.none")]
    assert line.state_share == line.ocmw_share == 0
