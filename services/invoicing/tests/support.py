"""Test helpers: invoice bodies, priced verdicts fed through the SQL event log, polling."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.events.pricing import InvoicePriced
from mediprima_contracts.registry import serialize_envelope
from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus
from servicekit.testing import TokenFactory

T = TypeVar("T")
TODAY = datetime.now(UTC).date()
CARE_DAY = TODAY - timedelta(days=5)


@dataclass(frozen=True)
class Line:
    code: str = "101032"
    amount: str = "33.51"
    date_of_care: date = CARE_DAY
    admission_date: date | None = None

    def body(self, number: int) -> dict[str, Any]:
        line = {
            "line_number": number,
            "date_of_care": self.date_of_care.isoformat(),
            "code": self.code,
            "amount": self.amount,
        }
        if self.admission_date is not None:
            line["admission_date"] = self.admission_date.isoformat()
        return line


def invoice_body(ssin: str, *lines: Line, agreement_number: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ssin": ssin,
        "lines": [line.body(number) for number, line in enumerate(lines or (Line(),), start=1)],
    }
    if agreement_number is not None:
        body["agreement_number"] = agreement_number
    return body


@dataclass(frozen=True)
class Gp:
    riziv: str
    headers: dict[str, str]

    @classmethod
    def new(cls, tokens: TokenFactory) -> Gp:
        riziv = random_gp_riziv()
        return cls(riziv, tokens.headers(Role.GP, riziv))


def operator(tokens: TokenFactory) -> dict[str, str]:
    return tokens.headers(Role.OPERATOR, "hziv-operator")


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def submit(client: httpx.AsyncClient, gp: Gp, body: dict[str, Any]) -> str:
    response = await client.post("/v1/invoices", json=body, headers={**gp.headers, **key()})
    assert response.status_code == 202, response.text
    invoice_id: str = response.json()["invoice_id"]
    return invoice_id


def accepted(state: str = "29.51", ocmw: str = "4.00", patient: str = "0.00") -> dict[str, Any]:
    return {
        "verdict": "accepted",
        "state_share": state,
        "ocmw_share": ocmw,
        "patient_share": patient,
        "reasons": [],
    }


def rejected(rule: str = "T-06", code: str = "no_decision") -> dict[str, Any]:
    return {
        "verdict": "rejected",
        "state_share": "0.00",
        "ocmw_share": "0.00",
        "patient_share": "33.51",
        "reasons": [{"rule": rule, "code": code, "message": "refused by the payer"}],
    }


OCMW = random_enterprise_number()


def new_person_id() -> str:
    """A registry person id: the same person under every number (D-08)."""
    return f"P{uuid.uuid4().hex}"


def priced(
    invoice_id: str,
    gp: Gp,
    body: dict[str, Any],
    verdicts: Sequence[dict[str, Any]],
    *,
    person_id: str | None = None,
) -> InvoicePriced:
    """The payer's verdict on each line of `body`, in line order, for the person pricing named."""
    return InvoicePriced.model_validate(
        {
            "invoice_id": invoice_id,
            "provider": gp.riziv,
            "ssin": body["ssin"],
            "person_id": person_id,
            "lines": [
                {
                    "line_number": line["line_number"],
                    "date_of_care": line["date_of_care"],
                    "code": line["code"],
                    "fee": line["amount"],
                    "decision_number": "1234567",
                    "version": 1,
                    "ocmw": OCMW,
                    "urgent_medical_aid": False,
                    **verdict,
                }
                for line, verdict in zip(body["lines"], verdicts, strict=True)
            ],
        }
    )


def record_of(event: EventData, *, source: str) -> OutgoingRecord:
    """`event` in an envelope, as its source service's relay would put it on the bus."""
    wrapped: Envelope[Any] = Envelope.wrap(event, source=source, correlation_id=uuid.uuid4().hex)
    return OutgoingRecord(wrapped.topic, wrapped.subject, serialize_envelope(wrapped), {})


async def deliver(workdir: Path, *events: EventData) -> None:
    """Publish `events` on the SQL event log the `client` service consumes."""
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish([record_of(event, source="tariffing") for event in events])
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, seconds: float = 10.0
) -> T:
    """Probe every 0.1 s until `done`; the last result either way, for the test to assert on."""
    result = await probe()
    for _ in range(int(seconds * 10)):
        if done(result):
            break
        await asyncio.sleep(0.1)
        result = await probe()
    return result


async def adjudicated(
    client: httpx.AsyncClient, gp: Gp, invoice_id: str, seconds: float = 10.0
) -> dict[str, Any]:
    async def probe() -> dict[str, Any]:
        response = await client.get(f"/v1/invoices/{invoice_id}", headers=gp.headers)
        body: dict[str, Any] = response.json()
        return body

    return await eventually(probe, lambda body: body.get("status") != "received", seconds=seconds)


async def submit_and_adjudicate(
    client: httpx.AsyncClient,
    workdir: Path,
    gp: Gp,
    body: dict[str, Any],
    verdicts: Sequence[dict[str, Any]],
    *,
    person_id: str | None = None,
) -> dict[str, Any]:
    invoice_id = await submit(client, gp, body)
    await deliver(workdir, priced(invoice_id, gp, body, verdicts, person_id=person_id))
    return await adjudicated(client, gp, invoice_id)


def new_ssin() -> str:
    return str(random_ssin())
