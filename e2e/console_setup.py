"""What the browser tests find on the platform: one person's decision (two versions), and one
invoice with an accepted and a refused line, adjudicated but not paid yet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import httpx

from e2e.walkthrough import (
    CONSULTATION_CODE,
    Actors,
    ask_until,
    consult_until_covered,
    expect_status,
    price_consultation,
    register_decision,
    submit_invoice,
)

UNKNOWN_CODE = "999999"
"""A code without any tariff: tariffing refuses its line with T-01 `code.unknown`."""


@dataclass(frozen=True)
class Seeded:
    decision_number: str
    invoice_id: str


async def seed(
    clients: Mapping[str, httpx.AsyncClient], actors: Actors, *, today: date, patience: float
) -> Seeded:
    care_date = today - timedelta(days=3)
    decision = await register_decision(clients, actors, today=today)
    number = decision["decision_number"]
    await expect_status(
        clients["decision-registry"].post(
            f"/v1/decisions/{number}/extend",
            json={"end_date": (today + timedelta(days=90)).isoformat()},
            headers=actors.ocmw,
        ),
        200,
    )
    consultation = await consult_until_covered(
        clients, actors, care_date=care_date, patience=patience
    )
    simulation = await price_consultation(
        clients,
        actors,
        care_date=care_date,
        agreement_number=consultation["agreement_number"],
        patience=patience,
    )
    submitted = await submit_invoice(
        clients,
        actors,
        care_date=care_date,
        agreement_number=consultation["agreement_number"],
        lines=[(CONSULTATION_CODE, simulation["lines"][0]["fee"]), (UNKNOWN_CODE, "12.00")],
    )
    await ask_until(
        lambda: clients["invoicing"].get(
            f"/v1/invoices/{submitted['invoice_id']}", headers=actors.gp
        ),
        lambda body: body["status"] == "partially_accepted",
        patience,
    )
    return Seeded(decision_number=number, invoice_id=submitted["invoice_id"])
