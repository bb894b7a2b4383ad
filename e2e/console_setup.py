"""What the browser tests find on the platform: one person's decision (two versions), and one
invoice with an accepted and a refused line, adjudicated but not paid yet."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import httpx

from e2e.walkthrough import CONSULTATION_CODE, Actors, ask_until, expect_status
from mediprima_contracts.testing import decision_request_body

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
    decision = await expect_status(
        clients["decision-registry"].post(
            "/v1/decisions",
            json=decision_request_body(
                today=today,
                ssin=actors.ssin,
                ocmw=actors.ocmw_enterprise_number,
                municipality_nis=actors.ocmw_nis,
                days_before=30,
                days_after=60,
                committee_date=(today - timedelta(days=2)).isoformat(),
                decision_date=(today - timedelta(days=1)).isoformat(),
            ),
            headers=actors.ocmw,
        ),
        201,
    )
    number = decision["decision_number"]
    await expect_status(
        clients["decision-registry"].post(
            f"/v1/decisions/{number}/extend",
            json={"end_date": (today + timedelta(days=90)).isoformat()},
            headers=actors.ocmw,
        ),
        200,
    )
    consultation = await ask_until(
        lambda: clients["consultation"].post(
            "/v1/consultations",
            json={
                "ssin": actors.ssin,
                "date": care_date.isoformat(),
                "care_type": "general_medicine",
            },
            headers=actors.gp,
        ),
        lambda body: body.get("covered") is True,
        patience,
    )
    simulation = await ask_until(
        lambda: clients["tariffing"].post(
            "/v1/pricing-simulations",
            json={
                "ssin": actors.ssin,
                "date": care_date.isoformat(),
                "agreement_number": consultation["agreement_number"],
                "lines": [{"code": CONSULTATION_CODE}],
            },
            headers=actors.gp,
        ),
        lambda body: body["lines"][0].get("refusal") is None,
        patience,
    )
    lines = [
        (CONSULTATION_CODE, simulation["lines"][0]["fee"]),
        (UNKNOWN_CODE, "12.00"),
    ]
    submitted = await expect_status(
        clients["invoicing"].post(
            "/v1/invoices",
            json={
                "ssin": actors.ssin,
                "agreement_number": consultation["agreement_number"],
                "lines": [
                    {
                        "line_number": index,
                        "date_of_care": care_date.isoformat(),
                        "code": code,
                        "amount": amount,
                    }
                    for index, (code, amount) in enumerate(lines, start=1)
                ],
            },
            headers={**actors.gp, "Idempotency-Key": str(uuid.uuid4())},
        ),
        202,
    )
    await ask_until(
        lambda: clients["invoicing"].get(
            f"/v1/invoices/{submitted['invoice_id']}", headers=actors.gp
        ),
        lambda body: body["status"] == "partially_accepted",
        patience,
    )
    return Seeded(decision_number=number, invoice_id=submitted["invoice_id"])
