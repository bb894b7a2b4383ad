"""200 invoices through tariffing and invoicing on Kafka and PostgreSQL, then two payment runs.

Invoicing and tariffing run in-process with their own PostgreSQL databases on one Kafka broker
under a fresh topic prefix; decisions are published on the decisions topic as the registry
would. Mix: fully valid invoices, pairs billing the same care twice (I-02), partly valid ones (an
unknown code, T-01), ones for a person without a decision (T-06), and invalid ones refused at
intake (I-01) inside the batches.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_ssin
from servicekit.bus.factory import build_bus
from servicekit.namespace import NamespacedBus
from servicekit.registry import load_service
from servicekit.testing import (
    KAFKA_ENV,
    TokenFactory,
    postgres_database,
    required_env,
    running_service,
)

from ..support import TODAY, Gp, Line, invoice_body, operator, record_of

INVOICES, GPS, BATCH = 200, 8, 50
PATIENCE = 240.0


@dataclass(frozen=True)
class Planned:
    kind: str  # valid | duplicate_pair | partly_valid | no_decision
    gp: Gp
    body: dict[str, Any]


@asynccontextmanager
async def invoicing_and_tariffing(
    workdir: Path, tokens: TokenFactory, prefix: str
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    shared: dict[str, Any] = {
        **tokens.settings_overrides(),
        "var_dir": workdir,
        "bus": "kafka",
        "kafka_bootstrap_servers": required_env(KAFKA_ENV),
        "topic_prefix": prefix,
    }
    async with AsyncExitStack() as stack:
        clients = {}
        for name in ("tariffing", "invoicing"):
            definition = load_service(name)
            url = await stack.enter_async_context(postgres_database(name[:8]))
            settings = definition.settings_class(database_url=url, **shared)
            clients[name] = await stack.enter_async_context(running_service(definition, settings))
        yield clients


async def publish_decisions(prefix: str, ssins: list[str]) -> None:
    """One active general-medicine decision per person, as the registry publishes them."""
    start, end = TODAY - timedelta(days=60), TODAY + timedelta(days=300)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    bus = NamespacedBus(build_bus("kafka", bootstrap_servers=required_env(KAFKA_ENV)), prefix)
    await bus.start()
    try:
        records = []
        for ssin in ssins:
            decision = example_decision_version_published(
                ssin=ssin,
                category="asylum_seeker",
                urgent_medical_aid=False,
                committee_date=(TODAY - timedelta(days=11)).isoformat(),
                decision_date=(TODAY - timedelta(days=10)).isoformat(),
                period=period,
                effective_from=start.isoformat(),
                coverages=[example_coverage(period=period)],
                warnings=[],
            )
            records.append(record_of(decision, source="decision-registry"))
        await bus.publish(records)
    finally:
        await bus.close()


def plan(tokens: TokenFactory) -> tuple[list[Planned], list[str]]:
    gps = [Gp.new(tokens) for _ in range(GPS)]
    planned: list[Planned] = []
    covered: list[str] = []
    for index in range(INVOICES):
        gp, ssin = gps[index % GPS], str(random_ssin())
        day = TODAY - timedelta(days=1 + index % 7)
        consultation = Line(code="101032", amount="33.51", date_of_care=day)
        match index % 5:
            case 0:
                covered.append(ssin)
                body = invoice_body(ssin, consultation, Line("102771", "38.16", day))
                planned.append(Planned("valid", gp, body))
            case 1:  # the previous invoice's consultation billed again, plus a home visit
                previous = planned.pop()
                same_care = Line("101032", "33.51", TODAY - timedelta(days=1 + (index - 1) % 7))
                body = invoice_body(previous.body["ssin"], same_care, Line("103132", "49.41", day))
                planned += [
                    Planned("duplicate_pair", previous.gp, previous.body),
                    Planned("duplicate_pair", previous.gp, body),
                ]
            case 2:
                covered.append(ssin)
                body = invoice_body(ssin, consultation, Line("999999", "10.00", day))
                planned.append(Planned("partly_valid", gp, body))
            case 3:
                planned.append(Planned("no_decision", gp, invoice_body(ssin, consultation)))
            case _:
                covered.append(ssin)
                planned.append(Planned("valid", gp, invoice_body(ssin, consultation)))
    return planned, covered


INVALID = [
    {
        "ssin": "12345678901",
        "lines": [
            {"line_number": 1, "date_of_care": "2026-01-01", "code": "101032", "amount": "33.51"}
        ],
    },
    {
        "ssin": str(random_ssin()),
        "lines": [
            {"line_number": 2, "date_of_care": "2026-01-01", "code": "10103", "amount": "-1"}
        ],
    },
]


async def submit_all(client: httpx.AsyncClient, planned: list[Planned]) -> list[str]:
    """Most through end-of-day batches (with invalid invoices mixed in), the rest one by one."""
    ids: list[str] = []
    by_gp: dict[str, list[int]] = {}
    for index, item in enumerate(planned[: INVOICES - 20]):
        by_gp.setdefault(item.gp.riziv, []).append(index)
    slots: dict[int, str] = {}
    for indexes in by_gp.values():
        gp = planned[indexes[0]].gp
        bodies = [planned[index].body for index in indexes] + INVALID
        response = await client.post(
            "/v1/invoice-batches",
            json={"invoices": bodies},
            headers={**gp.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 202, response.text
        results = response.json()["results"]
        assert [result["status"] for result in results[-2:]] == ["refused", "refused"]
        assert {problem["rule"] for problem in results[-1]["problem"]["errors"]} == {"I-01"}
        for index, result in zip(indexes, results, strict=False):
            assert result["status"] == "received", result
            slots[index] = result["invoice_id"]
    for index in range(INVOICES - 20, INVOICES):
        item = planned[index]
        response = await client.post(
            "/v1/invoices",
            json=item.body,
            headers={**item.gp.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 202, response.text
        slots[index] = response.json()["invoice_id"]
    ids = [slots[index] for index in range(INVOICES)]
    return ids


async def wait_until_priceable(tariffing: httpx.AsyncClient, gp: Gp, ssins: list[str]) -> None:
    """Tariffing has applied every decision (they arrive on several partitions)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE
    for ssin in ssins:
        while True:
            response = await tariffing.post(
                "/v1/pricing-simulations",
                json={
                    "ssin": ssin,
                    "date": (TODAY - timedelta(days=1)).isoformat(),
                    "lines": [{"code": "101032"}],
                },
                headers=gp.headers,
            )
            if response.status_code == 200 and response.json()["lines"][0].get("refusal") is None:
                break
            assert loop.time() < deadline, f"tariffing never priced a decision: {response.text}"
            await asyncio.sleep(0.5)


async def all_adjudicated(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE
    while True:
        waiting = await client.get("/v1/invoices?status=received&limit=1", headers=headers)
        if not waiting.json()["items"]:
            return
        assert loop.time() < deadline, "invoices still waiting for their verdict"
        await asyncio.sleep(1.0)


def reasons(line: dict[str, Any]) -> list[tuple[str, str]]:
    return [(reason["rule"], reason["code"]) for reason in line["reasons"]]


@pytest.mark.kafka
@pytest.mark.postgres
async def test_i01_to_i05_two_hundred_invoices_on_kafka_and_postgresql(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    prefix = f"inv{uuid.uuid4().hex[:8]}."
    planned, covered = plan(tokens)
    ops = operator(tokens)
    async with invoicing_and_tariffing(tmp_path, tokens, prefix) as clients:
        invoicing = clients["invoicing"]
        await publish_decisions(prefix, covered)
        await wait_until_priceable(clients["tariffing"], planned[0].gp, covered)

        ids = await submit_all(invoicing, planned)
        await all_adjudicated(invoicing, ops)

        seen = []
        for invoice_id, item in zip(ids, planned, strict=True):
            response = await invoicing.get(f"/v1/invoices/{invoice_id}", headers=item.gp.headers)
            seen.append(response.json())
        owed = Decimal("0.00")
        for index, (invoice, item) in enumerate(zip(seen, planned, strict=True)):
            lines = invoice["lines"]
            if item.kind == "valid":
                assert invoice["status"] == "accepted", invoice
            elif item.kind == "partly_valid":
                assert invoice["status"] == "partially_accepted", invoice
                assert lines[0]["status"] == "accepted"
                assert lines[1]["status"] == "rejected"
                assert [rule for rule, _ in reasons(lines[1])] == ["T-01"]
            elif item.kind == "no_decision":
                assert invoice["status"] == "rejected", invoice
                assert reasons(lines[0]) == [("C-01", "decision.none")]
            elif index % 5 == 1:  # the second of a pair: one of the two consultations is refused
                first = seen[index - 1]
                consultations = [first["lines"][0], lines[0]]
                assert Counter(line["status"] for line in consultations) == Counter(
                    {"accepted": 1, "rejected": 1}
                )
                refused = next(line for line in consultations if line["status"] == "rejected")
                assert reasons(refused) == [("I-02", "line.duplicate")]
                assert lines[1]["status"] == first["lines"][1]["status"] == "accepted"
                assert Counter([invoice["status"], first["status"]]) == Counter(
                    {"accepted": 1, "partially_accepted": 1}
                )
            for line in lines:
                if line["status"] == "accepted":
                    owed += Decimal(line["state_share"]) + Decimal(line["ocmw_share"])
        payable = [invoice for invoice in seen if invoice["status"] != "rejected"]

        run = await invoicing.post("/v1/payment-runs", headers=ops)
        again = await invoicing.post("/v1/payment-runs", headers=ops)

        assert run.status_code == 200, run.text
        assert run.json()["paid_invoices"] == len(payable)
        assert Decimal(run.json()["amount"]) == owed
        assert len(run.json()["payments"]) == GPS
        assert (again.json()["paid_invoices"], again.json()["amount"]) == (0, "0.00")
        for invoice_id, item in zip(ids, planned, strict=True):
            after = (
                await invoicing.get(f"/v1/invoices/{invoice_id}", headers=item.gp.headers)
            ).json()
            for line in after["lines"]:
                assert (line["payment_reference"] is not None) == (line["status"] == "accepted")
            if after["status"] == "paid":
                assert after["payment"]["payment_reference"] in {
                    payment["payment_reference"] for payment in run.json()["payments"]
                }
