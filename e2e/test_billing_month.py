"""A month of billing as the source documents say, over the public APIs of the five services:

a consultation-guaranteed narrowing (C-02 by the invoice's issue day), an urgent-aid certificate
(C-04), a court decision reaching back (D-04, D-05), an insured person (T-02, the health fund's
part), an old line the funder approved in writing (I-04), an exempt GP (I-06), a payment run on
the service's own schedule (I-05), a credit recovered from the provider's next payment, a
cancelled invoice, and the month's settlement reconciling to the cent (S-04).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.platform import Backend, running_platform
from e2e.walkthrough import ask_until, expect_status
from mediprima_contracts.testing import decision_request_body
from mediprima_contracts.testing.factories import (
    random_bis_number,
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.testing import TokenFactory

CODE = "101032"
PATIENCE = 60.0
EVERY_FIVE_SECONDS = "* * * * * */5"
PAYABLE = ("accepted", "paid")
Clients = dict[str, httpx.AsyncClient]


@dataclass(frozen=True)
class Month:
    clients: Clients
    tokens: TokenFactory
    today: date
    ocmw: str
    gp: str
    exempt_gp: str

    def headers(self, role: Role, subject: str) -> dict[str, str]:
        return self.tokens.headers(role, subject)

    @property
    def as_ocmw(self) -> dict[str, str]:
        return self.headers(Role.OCMW, self.ocmw)

    @property
    def as_gp(self) -> dict[str, str]:
        return self.headers(Role.GP, self.gp)

    @property
    def as_operator(self) -> dict[str, str]:
        return self.headers(Role.OPERATOR, "operator-1")

    def day(self, offset: int) -> str:
        return (self.today + timedelta(days=offset)).isoformat()


def cover(start: str, end: str) -> dict[str, Any]:
    return {
        "care_type": "general_medicine",
        "period": {"start": start, "end": end},
        "ocmw_pays": {
            "insurance_part": "NOTHING",
            "patient_share": "FULL",
            "supplements": "NOTHING",
        },
    }


async def file_decision(month: Month, ssin: str, **changes: Any) -> dict[str, Any]:
    body = decision_request_body(today=month.today, ssin=ssin, ocmw=month.ocmw) | changes
    return await expect_status(
        month.clients["decision-registry"].post("/v1/decisions", json=body, headers=month.as_ocmw),
        201,
    )


async def invoice(
    month: Month, ssin: str, care: str, *, gp: str | None = None, **changes: Any
) -> str:
    body = {
        "ssin": ssin,
        "issued_on": month.today.isoformat(),
        "lines": [{"line_number": 1, "date_of_care": care, "code": CODE, "amount": "40.00"}],
    } | changes
    headers = month.headers(Role.GP, gp or month.gp) | {"Idempotency-Key": str(uuid.uuid4())}
    answer = await expect_status(
        month.clients["invoicing"].post("/v1/invoices", json=body, headers=headers), 202
    )
    return str(answer["invoice_id"])


async def adjudicated(month: Month, invoice_id: str) -> dict[str, Any]:
    return await ask_until(
        lambda: month.clients["invoicing"].get(f"/v1/invoices/{invoice_id}", headers=month.as_gp),
        lambda body: body["status"] not in ("received",),
        PATIENCE,
    )


async def priced_by_tariffing(
    month: Month, ssin: str, care: str, known: Callable[[dict[str, Any]], Any]
) -> dict[str, Any]:
    """The simulated line once tariffing's read model shows what `known` looks for: the
    registry's events reach it a moment after the registry answered."""
    answer = await ask_until(
        lambda: month.clients["tariffing"].post(
            "/v1/pricing-simulations",
            json={"ssin": ssin, "date": care, "lines": [{"code": CODE}]},
            headers=month.as_gp,
        ),
        lambda body: bool(known(body["lines"][0])),
        PATIENCE,
    )
    line: dict[str, Any] = answer["lines"][0]
    return line


def reasons(line: dict[str, Any]) -> list[tuple[str, str]]:
    return [(reason["rule"], reason["code"]) for reason in line["reasons"]]


async def walk_a_month(month: Month) -> None:
    clients, today = month.clients, month.today
    urgent, court, insured = random_bis_number(), random_ssin(), random_ssin()

    # The OCMW's decisions: urgent medical aid; a court-ordered one reaching 2.5 years back;
    # an insured person in need.
    await file_decision(
        month,
        urgent,
        category="no_legal_residence",
        period={"start": month.day(-30), "end": month.day(59)},
        coverages=[cover(month.day(-30), month.day(59))],
    )
    long_ago = month.day(-900)
    await file_decision(
        month,
        court,
        court_decision=True,
        court_decision_reference="2026/AR/4711",
        period={"start": long_ago, "end": month.day(-800)},
        coverages=[cover(long_ago, month.day(-800))],
    )
    await file_decision(
        month,
        insured,
        category="insured_needy",
        insurable=True,
        insurable_since=month.day(-400),
        period={"start": month.day(-30), "end": month.day(60)},
        coverages=[cover(month.day(-30), month.day(60))],
    )

    # C-04: the GP certifies the urgent care; C-01/C-02: consults and gets an agreement.
    await expect_status(
        clients["consultation"].post(
            "/v1/urgent-aid-certificates",
            json={
                "ssin": urgent,
                "care_type": "general_medicine",
                "valid_from": month.day(-5),
                "valid_until": month.day(20),
            },
            headers=month.as_gp,
        ),
        201,
    )
    consulted = await ask_until(
        lambda: clients["consultation"].post(
            "/v1/consultations",
            json={"ssin": urgent, "date": today.isoformat(), "care_type": "general_medicine"},
            headers=month.as_gp,
        ),
        lambda body: body.get("covered") is True,
        PATIENCE,
    )
    assert consulted["urgent_medical_aid_certificate_required"] is True
    assert consulted["billing_route"] == "platform"

    # The OCMW narrows: from today the GP cover ends.
    number = consulted["decision_number"]
    registry = clients["decision-registry"]
    current = await expect_status(
        registry.get(f"/v1/decisions/{number}", headers=month.as_ocmw), 200
    )
    restated = {
        field: current[field]
        for field in (
            "ssin",
            "person",
            "committee_date",
            "decision_date",
            "period",
            "category",
            "court_decision",
            "insurable",
            "affiliated_to_fund",
            "income_above_living_wage",
        )
    } | {
        "ocmw": {"enterprise_number": month.ocmw, "municipality_nis": "44021"},
        "coverages": [cover(month.day(-30), month.day(-1))],
    }
    narrowed = await expect_status(
        registry.put(
            f"/v1/decisions/{number}",
            json=restated,
            headers=month.as_ocmw | {"If-Match": f'"{current["version"]}"'},
        ),
        200,
    )
    assert narrowed["version"] == 2

    # I-04: the funder approved in writing that the old, court-ordered care may still be billed.
    old_care = month.day(-850)
    await expect_status(
        clients["invoicing"].post(
            "/v1/late-billing-approvals",
            json={
                "reference": f"PODMI-{uuid.uuid4().hex[:8]}",
                "provider": month.gp,
                "ssin": court,
                "care_period": {"start": long_ago, "end": month.day(-800)},
                "approved_on": today.isoformat(),
            },
            headers=month.as_operator,
        ),
        201,
    )

    # I-06: an OCMW records a GP's exemption; that GP may bill this OCMW on paper.
    await expect_status(
        clients["consultation"].post(
            "/v1/billing-exemptions",
            json={
                "provider": month.exempt_gp,
                "reason": "aged_67_on_2023_01_01",
                "declared_on": today.isoformat(),
                "document_reference": "DECL-2026-0042",
            },
            headers=month.as_ocmw,
        ),
        201,
    )
    exempt = await ask_until(
        lambda: clients["consultation"].post(
            "/v1/consultations",
            json={"ssin": insured, "date": today.isoformat(), "care_type": "general_medicine"},
            headers=month.headers(Role.GP, month.exempt_gp),
        ),
        lambda body: body.get("covered") is True,
        PATIENCE,
    )
    assert exempt["billing_route"] == "paper_to_ocmw"
    assert exempt["billing_route_reason"]["code"] == "billing.exempt_aged_67_on_2023_01_01"

    # The month's invoices.
    # Care on the day the narrowing took effect (the registry's clock: the walk may cross
    # midnight), invoiced that day within the guarantee's 30 days.
    narrowed_day = narrowed["narrowing_from"]
    # Pricing has learnt of the narrowing (and of the other decisions): without the agreement,
    # the day is no longer covered.
    await priced_by_tariffing(
        month,
        urgent,
        narrowed_day,
        lambda line: (line["refusal"] or {}).get("code") == "cover.not_active",
    )
    await priced_by_tariffing(month, court, old_care, lambda line: line["decision_number"])
    await priced_by_tariffing(month, insured, month.day(-5), lambda line: line["decision_number"])
    guaranteed = await invoice(
        month,
        urgent,
        narrowed_day,
        agreement_number=consulted["agreement_number"],
        issued_on=narrowed_day,
    )
    approved_late = await invoice(month, court, old_care)
    fund_part = await invoice(month, insured, month.day(-5))
    mistaken = await invoice(month, insured, month.day(-6))
    cancelled = await expect_status(
        clients["invoicing"].post(
            f"/v1/invoices/{mistaken}/cancellations",
            json={"reason": "Billed for the wrong day"},
            headers=month.as_gp | {"Idempotency-Key": str(uuid.uuid4())},
        ),
        201,
    )
    assert cancelled["line_numbers"] == [1]

    first = await adjudicated(month, guaranteed)
    [line] = first["lines"]
    # Accepted, or already paid when the schedule's run came first.
    assert first["status"] in PAYABLE, line["reasons"]
    assert ("C-02", "agreement.guaranteed_version") in reasons(line)
    assert Decimal(line["state_share"]) > 0  # paid as consulted
    assert line["certificate_number"] is not None
    late = await adjudicated(month, approved_late)
    assert late["status"] in PAYABLE, late
    assert ("I-04", "care.late_billing_approved") in reasons(late["lines"][0])
    assert Decimal(late["lines"][0]["state_share"]) > 0  # D-05 lifted by the court decision
    fund = await adjudicated(month, fund_part)
    assert fund["status"] in PAYABLE, fund
    assert Decimal(fund["lines"][0]["health_fund_share"]) > 0
    shares = ("state_share", "ocmw_share", "patient_share", "health_fund_share")
    assert sum(Decimal(fund["lines"][0][part]) for part in shares) == Decimal("40.00")

    # I-05: the service's own schedule pays the accepted invoices; nobody starts a run.
    paid = {}
    for invoice_id in (guaranteed, approved_late, fund_part):
        paid[invoice_id] = await ask_until(
            lambda invoice_id=invoice_id: clients["invoicing"].get(  # type: ignore[misc]
                f"/v1/invoices/{invoice_id}", headers=month.as_gp
            ),
            lambda body: body["status"] == "paid",
            PATIENCE,
        )
    never_paid = await expect_status(
        clients["invoicing"].get(f"/v1/invoices/{mistaken}", headers=month.as_gp), 200
    )
    assert never_paid["status"] == "cancelled"

    # A credit of the paid insured line is recovered from the GP's next payment.
    credit = await expect_status(
        clients["invoicing"].post(
            f"/v1/invoices/{fund_part}/credits",
            json={"line_numbers": [1], "reason": "Care not given"},
            headers=month.as_operator,
        ),
        201,
    )
    recovery = Decimal(credit["recovery_amount"])
    assert recovery > 0
    next_invoice = await invoice(month, insured, month.day(-4))
    await adjudicated(month, next_invoice)
    next_paid = await ask_until(
        lambda: clients["invoicing"].get(f"/v1/invoices/{next_invoice}", headers=month.as_gp),
        lambda body: body["status"] == "paid",
        PATIENCE,
    )
    statement = await expect_status(
        clients["invoicing"].get(f"/v1/providers/{month.gp}/payments", headers=month.as_gp), 200
    )
    offsetting = next(
        payment
        for payment in statement["payments"]
        if payment["payment_reference"] == next_paid["payment"]["payment_reference"]
    )
    assert Decimal(offsetting["recovered"]) == min(recovery, Decimal(offsetting["lines_amount"]))
    assert Decimal(offsetting["amount"]) == Decimal(offsetting["lines_amount"]) - Decimal(
        offsetting["recovered"]
    )

    # S-04: the month's settlement equals what was paid, less the credit, to the cent.
    expected = {part: Decimal("0.00") for part in shares[:3]}
    for body in [*paid.values(), next_paid]:
        for paid_line in body["lines"]:
            for part in expected:
                expected[part] += Decimal(paid_line[part])
    for part in expected:
        expected[part] -= Decimal(fund["lines"][0][part])
    months = {body["payment"]["paid_at"][:7] for body in [*paid.values(), next_paid]}
    assert len(months) == 1, months  # paid within one month (the walk takes a minute)
    [settlement_month] = months

    async def settle() -> httpx.Response:
        started = await expect_status(
            clients["settlement"].post(
                "/v1/settlements", json={"month": settlement_month}, headers=month.as_operator
            ),
            202,
        )
        return await clients["settlement"].get(
            f"/v1/settlements/{started['settlement_id']}", headers=month.as_operator
        )

    settled = await ask_until(
        settle, lambda body: body["totals"]["lines"] >= 5, PATIENCE
    )  # four paid lines and one credit
    totals = settled["totals"]
    assert {part: Decimal(totals[part]) for part in expected} == expected
    [per_ocmw] = settled["per_ocmw"]
    assert per_ocmw["enterprise_number"] == month.ocmw


@pytest.mark.e2e
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sql", id="sqlite+sql-log"),
        pytest.param("kafka", id="kafka+postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
    ],
)
async def test_c02_c04_d05_t02_i04_i05_i06_s04_a_month_of_billing_settles_to_the_cent(
    backend: Backend, tmp_path: Path
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    settings = {"invoicing": {"payment_run_schedule": EVERY_FIVE_SECONDS}}
    async with running_platform(backend, tmp_path, tokens, settings) as clients:
        await walk_a_month(
            Month(
                clients=clients,
                tokens=tokens,
                today=datetime.now(UTC).date(),
                ocmw=random_enterprise_number(),
                gp=random_gp_riziv(),
                exempt_gp=random_gp_riziv(),
            )
        )
