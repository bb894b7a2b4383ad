"""Feeds the settlement service real events through its SQL event log, as invoicing would."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.events.invoices import InvoiceLinesCredited, InvoicePaid
from mediprima_contracts.testing.events import example_invoice_lines_credited, example_invoice_paid
from servicekit import testing

T = TypeVar("T")


def envelope(data: EventData, *, occurred_at: datetime | None = None) -> Envelope[Any]:
    return testing.envelope(data, source="invoicing", occurred_at=occurred_at)


async def deliver(workdir: Path, *events: EventData | Envelope[Any]) -> None:
    """Publish `events` on one key, so the service applies them in order."""
    await testing.deliver(
        workdir,
        *(item if isinstance(item, Envelope) else envelope(item) for item in events),
        key="ordered",
    )


def paid(
    *,
    at: datetime,
    ocmw: str,
    state: str = "26.00",
    share: str = "4.00",
    patient: str = "0.00",
    ssin: str | None = None,
    person_id: str | None = None,
    **line: Any,
) -> InvoicePaid:
    """One paid line; `ssin` (default: a new one) and `person_id` name the person."""
    base = example_invoice_paid(person_id=person_id, **({"ssin": ssin} if ssin else {}))
    lines = [
        {
            **base.lines[0].model_dump(),
            "ocmw": ocmw,
            "state_share": state,
            "ocmw_share": share,
            "patient_share": patient,
            **line,
        }
    ]
    amount = Decimal(state) + Decimal(share)
    return InvoicePaid.model_validate(
        {**base.model_dump(), "paid_at": at, "lines": lines, "amount": f"{amount:.2f}"}
    )


def credit_of(original: InvoicePaid, *, at: datetime) -> InvoiceLinesCredited:
    return example_invoice_lines_credited(
        invoice_id=original.invoice_id,
        provider=original.provider,
        ssin=original.ssin,
        person_id=original.person_id,
        payment_reference=original.payment_reference,
        credited_at=at,
        lines=[line.model_dump() for line in original.lines],
    )


async def run(client: httpx.AsyncClient, operator: dict[str, str], month: str) -> httpx.Response:
    return await client.post("/v1/settlements", json={"month": month}, headers=operator)


async def settled_lines(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    month: str,
    lines: int,
    *,
    named: str | None = None,
) -> dict[str, Any]:
    """Run the month until the ledger holds `lines` lines for it (events arrive asynchronously)
    and, with `named`, until the OCMW directory knows that name."""

    async def probe() -> dict[str, Any]:
        started = await run(client, operator, month)
        assert started.status_code == 202, started.text
        view = await client.get(
            f"/v1/settlements/{started.json()['settlement_id']}", headers=operator
        )
        return dict(view.json())

    def done(body: dict[str, Any]) -> bool:
        names = {entry["name"] for entry in body["per_ocmw"]}
        return body["totals"]["lines"] >= lines and (named is None or named in names)

    return await testing.eventually(probe, done)
