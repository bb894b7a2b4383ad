"""Invoices from GP software until every one has its verdict (B2, B5): an end-of-day upload
in batches, or one invoice at a time at a fixed rate. How long each waited, received → verdict,
is read from the invoice's own status history."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx

from bench.load.answers import LoadError
from bench.load.requests import HttpRequest
from bench.seed.decisions import SeededDecision
from bench.seed.identities import gp_riziv
from bench.stats import percentile
from bench.tokens import Tokens
from servicekit.auth import Role

CODES = ("101032", "102771", "103132")  # consultation, GMD, home visit: a GP's day
VERDICTS = {"accepted", "partially_accepted", "rejected"}
PAGE = 200


@dataclass(frozen=True)
class Adjudicated:
    invoices: int
    lines: int
    seconds: float  # first received → last verdict
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int]
    waiting: int  # invoices still without a verdict when the bench stopped waiting

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds

    def summary(self) -> dict[str, Any]:
        return {
            "invoices": self.invoices,
            "lines": self.lines,
            "seconds": round(self.seconds, 2),
            "received_to_verdict_p50_ms": round(self.p50_ms, 1),
            "received_to_verdict_p95_ms": round(self.p95_ms, 1),
            "line_statuses": self.statuses,
            "invoices_still_waiting": self.waiting,
        }


def people(decisions: Sequence[SeededDecision], *, start: int, count: int) -> list[str]:
    """Distinct people covered for a GP's care today without a certificate (not urgent aid)."""
    chosen = [item.ssin for item in decisions if not item.urgent_medical_aid][start:]
    if len(chosen) < count:
        raise ValueError(f"only {len(chosen)} people left to invoice for, {count} needed")
    return chosen[:count]


def invoice(ssin: str, *, today: date, lines: int) -> dict[str, Any]:
    return {
        "ssin": ssin,
        "lines": [
            {
                "line_number": number,
                "date_of_care": today.isoformat(),
                "code": CODES[(number - 1) % len(CODES)],
                "amount": "30.00",
            }
            for number in range(1, lines + 1)
        ],
    }


def single_invoice_requests(
    tokens: Tokens, ssins: Sequence[str], *, today: date, lines: int, gps: int = 50
) -> list[HttpRequest]:
    """`POST /v1/invoices`, one each, spread over `gps` practices."""
    headers = [tokens.headers(Role.GP, gp_riziv(1_000 + index)) for index in range(gps)]
    return [
        HttpRequest.json(
            "POST",
            "/v1/invoices",
            invoice(ssin, today=today, lines=lines),
            {**headers[index % gps], "Idempotency-Key": uuid.uuid4().hex},
        )
        for index, ssin in enumerate(ssins)
    ]


async def upload_batches(
    client: httpx.AsyncClient,
    tokens: Tokens,
    ssins: Sequence[str],
    *,
    today: date,
    lines: int,
    per_batch: int,
    first_gp: int,
) -> None:
    """Each practice uploads its day in one batch; the practices upload at the same time."""
    batches = [ssins[start : start + per_batch] for start in range(0, len(ssins), per_batch)]

    async def upload(index: int, batch: Sequence[str]) -> None:
        answer = await client.post(
            "/v1/invoice-batches",
            json={"invoices": [invoice(ssin, today=today, lines=lines) for ssin in batch]},
            headers={
                **tokens.headers(Role.GP, gp_riziv(first_gp + index)),
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        body = answer.json() if answer.status_code == 202 else {}
        if body.get("received") != len(batch):
            raise LoadError(f"batch refused: {answer.status_code} {answer.text[:500]}")

    await asyncio.gather(*(upload(index, batch) for index, batch in enumerate(batches)))


async def wait_until_adjudicated(
    client: httpx.AsyncClient, operator: dict[str, str], *, since: datetime, patience: float
) -> bool:
    """Asks invoicing, every 0.2 s, whether any invoice received since `since` still waits;
    False when some still do after `patience` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        answer = await client.get(
            "/v1/invoices",
            params={"status": "received", "from": since.isoformat(), "limit": 1},
            headers=operator,
        )
        answer.raise_for_status()
        if not answer.json()["items"]:
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.2)


async def adjudication(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    *,
    since: datetime,
    only: set[str] | None = None,
) -> Adjudicated:
    """Received → verdict of every invoice received since `since` (or only those of `only`)
    that has its verdict; the others are counted as still waiting."""
    waits, received, verdicts, lines, waiting = [], [], [], 0, 0
    statuses: dict[str, int] = {}
    async for item in _invoices(client, operator, since=since):
        if only is not None and item["invoice_id"] not in only:
            continue
        history = {entry["status"]: _instant(entry["changed_at"]) for entry in item["history"]}
        if not VERDICTS & set(history):
            waiting += 1
            continue
        verdict = min(at for status, at in history.items() if status in VERDICTS)
        received.append(history["received"])
        verdicts.append(verdict)
        waits.append((verdict - history["received"]).total_seconds() * 1000)
        lines += len(item["lines"])
        for line in item["lines"]:
            statuses[line["status"]] = statuses.get(line["status"], 0) + 1
    if not waits:
        raise LoadError("no adjudicated invoice found")
    if not statuses.get("accepted"):
        raise LoadError(f"no line was accepted ({statuses}): the seeded decisions do not cover")
    return Adjudicated(
        invoices=len(waits),
        lines=lines,
        seconds=(max(verdicts) - min(received)).total_seconds(),
        p50_ms=percentile(waits, 50),
        p95_ms=percentile(waits, 95),
        statuses=statuses,
        waiting=waiting,
    )


async def _invoices(
    client: httpx.AsyncClient, operator: dict[str, str], *, since: datetime
) -> AsyncIterator[dict[str, Any]]:
    offset: int | None = 0
    while offset is not None:
        answer = await client.get(
            "/v1/invoices",
            params={"from": since.isoformat(), "limit": PAGE, "offset": offset},
            headers=operator,
        )
        answer.raise_for_status()
        page = answer.json()
        for item in page["items"]:
            yield item
        offset = page["next_offset"]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
