"""One invoice from an OCMW decision to the month's settlement total, over the public APIs.

Shared by the end-to-end tests (in-process services) and `make demo` (a running `make run`),
so the demo shows exactly what the tests prove.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from mediprima_contracts.testing import (
    decision_request_body,
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role

Say = Callable[[str], None]


@dataclass(frozen=True)
class Actors:
    """Bearer headers per caller, and the identities the walk uses."""

    ocmw: Mapping[str, str]
    gp: Mapping[str, str]
    operator: Mapping[str, str]
    ocmw_enterprise_number: str
    ocmw_nis: str
    gp_riziv: str
    ssin: str

    @classmethod
    def fresh(
        cls, headers: Callable[[Role, str], Mapping[str, str]], *, operator: str = "operator-1"
    ) -> Actors:
        """A new OCMW, GP and person, none seen before, each caller's headers from `headers`."""
        ocmw, gp = random_enterprise_number(), random_gp_riziv()
        return cls(
            ocmw=headers(Role.OCMW, ocmw),
            gp=headers(Role.GP, gp),
            operator=headers(Role.OPERATOR, operator),
            ocmw_enterprise_number=ocmw,
            ocmw_nis="44021",
            gp_riziv=gp,
            ssin=random_ssin(),
        )


@dataclass(frozen=True)
class WalkResult:
    decision_number: str
    consultation_id: str
    agreement_number: str
    invoice_id: str
    paid_amount: Decimal
    settlement: dict[str, Any]


CONSULTATION_CODE = "101032"


async def walk_invoice_through(
    clients: Mapping[str, httpx.AsyncClient],
    actors: Actors,
    *,
    today: date,
    say: Say = lambda _line: None,
    patience: float = 30.0,
) -> WalkResult:
    care_date = today - timedelta(days=3)
    decision = await register_decision(clients, actors, today=today)
    say(f"1. OCMW registered decision {decision['decision_number']} v{decision['version']}")

    consultation = await consult_until_covered(
        clients, actors, care_date=care_date, patience=patience
    )
    say(
        f"2. GP consulted: covered by OCMW {consultation['ocmw']['enterprise_number']}, "
        f"agreement {consultation['agreement_number']}"
    )

    simulation = await price_consultation(
        clients,
        actors,
        care_date=care_date,
        agreement_number=consultation["agreement_number"],
        patience=patience,
    )
    fee = Decimal(simulation["lines"][0]["fee"])
    say(f"3. Tariffing prices {CONSULTATION_CODE} at {fee}: {simulation['lines'][0]}")

    submitted = await submit_invoice(
        clients,
        actors,
        care_date=care_date,
        agreement_number=consultation["agreement_number"],
        lines=[(CONSULTATION_CODE, str(fee))],
    )
    invoice_id = submitted["invoice_id"]
    say(f"4. GP submitted invoice {invoice_id}: {submitted['status']}")

    invoice = await ask_until(
        lambda: clients["invoicing"].get(f"/v1/invoices/{invoice_id}", headers=actors.gp),
        lambda body: body["status"] != "received",
        patience,
    )
    say(f"5. Invoice adjudicated: {invoice['status']}, line 1 {invoice['lines'][0]['status']}")
    if invoice["status"] != "accepted":
        raise AssertionError(f"invoice not accepted: {invoice}")

    run = await expect_status(
        clients["invoicing"].post("/v1/payment-runs", headers=actors.operator), 200
    )
    say(f"6. Payment run paid {run['paid_invoices']} invoice(s), {run['amount']}")
    paid = await expect_status(
        clients["invoicing"].get(f"/v1/invoices/{invoice_id}", headers=actors.gp), 200
    )
    if paid["status"] != "paid":
        raise AssertionError(f"invoice not paid after the run: {paid}")
    paid_amount = Decimal(paid["payment"]["amount"])
    month = paid["payment"]["paid_at"][:7]

    async def run_settlement() -> httpx.Response:
        started = await expect_status(
            clients["settlement"].post(
                "/v1/settlements", json={"month": month}, headers=actors.operator
            ),
            202,
        )
        return await clients["settlement"].get(
            f"/v1/settlements/{started['settlement_id']}", headers=actors.operator
        )

    settlement = await ask_until(
        run_settlement, lambda body: body["totals"]["lines"] >= 1, patience
    )
    say(f"7. Settlement {month}: totals {settlement['totals']}")
    return WalkResult(
        decision_number=decision["decision_number"],
        consultation_id=consultation["consultation_id"],
        agreement_number=consultation["agreement_number"],
        invoice_id=invoice_id,
        paid_amount=paid_amount,
        settlement=settlement,
    )


async def register_decision(
    clients: Mapping[str, httpx.AsyncClient], actors: Actors, *, today: date
) -> dict[str, Any]:
    """The OCMW registers a decision covering the person from a month ago to two months on."""
    return await expect_status(
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


async def consult_until_covered(
    clients: Mapping[str, httpx.AsyncClient],
    actors: Actors,
    *,
    care_date: date,
    patience: float,
) -> dict[str, Any]:
    return await ask_until(
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


async def price_consultation(
    clients: Mapping[str, httpx.AsyncClient],
    actors: Actors,
    *,
    care_date: date,
    agreement_number: str,
    patience: float,
) -> dict[str, Any]:
    """Tariffing's simulation of one consultation line, once it prices it without refusal."""
    return await ask_until(
        lambda: clients["tariffing"].post(
            "/v1/pricing-simulations",
            json={
                "ssin": actors.ssin,
                "date": care_date.isoformat(),
                "agreement_number": agreement_number,
                "lines": [{"code": CONSULTATION_CODE}],
            },
            headers=actors.gp,
        ),
        lambda body: body["lines"][0].get("refusal") is None,
        patience,
    )


async def submit_invoice(
    clients: Mapping[str, httpx.AsyncClient],
    actors: Actors,
    *,
    care_date: date,
    agreement_number: str,
    lines: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The GP submits one line per (code, amount), all on `care_date`."""
    return await expect_status(
        clients["invoicing"].post(
            "/v1/invoices",
            json={
                "ssin": actors.ssin,
                "agreement_number": agreement_number,
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


async def expect_status(call: Awaitable[httpx.Response], status: int) -> dict[str, Any]:
    response = await call
    if response.status_code != status:
        raise AssertionError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}, expected {status}: {response.text}"
        )
    body: dict[str, Any] = response.json()
    return body


async def ask_until(
    call: Callable[[], Awaitable[httpx.Response]],
    done: Callable[[dict[str, Any]], bool],
    patience: float,
) -> dict[str, Any]:
    """Events travel asynchronously: ask again until the answer shows they arrived."""
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        response = await call()
        body: dict[str, Any] = response.json()
        if response.status_code < 300 and done(body):
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting; last answer {response.status_code}: {body}")
        await asyncio.sleep(0.1)
