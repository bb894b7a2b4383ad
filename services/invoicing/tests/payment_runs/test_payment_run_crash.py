"""I-05: a payment run killed halfway and run again, or two runs at once, pay every line
exactly once and take back each recovery exactly once."""

import asyncio
import json
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from invoicing.invoices.models import InvoiceLine
from invoicing.payments import runs
from invoicing.payments.models import PaymentRun, ProviderPayment, Recovery, RecoveryOffset
from invoicing.payments.service import run_payments
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.db import Database
from servicekit.messaging.tables import outbox

from .seeding import (
    ACCEPTED_TWICE_REJECTED_ONCE,
    BACKENDS,
    add_invoice,
    add_recovery,
    invoicing_database,
)

PROCESS = Path(__file__).with_name("payment_run_process.py")
PROVIDERS, INVOICES_EACH = 5, 2


async def seed(database: Database) -> tuple[dict[tuple[str, int], str], dict[str, list[str]]]:
    """Adjudicated invoices of several providers (two accepted lines and a rejected one each:
    141.00 owed per provider), and what each provider owes back (I-05): 100.00 from one credit,
    and for the first provider another 50.00 the payment cannot take back in full."""
    lines: dict[tuple[str, int], str] = {}
    owed_back: dict[str, list[str]] = {}
    now = datetime.now(UTC)
    async with database.transaction() as session:
        for index in range(PROVIDERS):
            provider = random_gp_riziv()
            for _ in range(INVOICES_EACH):
                invoice_id = add_invoice(session, provider, submitted_at=now)
                for number, (_code, verdict) in enumerate(ACCEPTED_TWICE_REJECTED_ONCE, start=1):
                    lines[(invoice_id, number)] = verdict.value
            owed_back[provider] = [add_recovery(session, provider, "100.00", at=now)]
            if index == 0:
                later = now + timedelta(seconds=1)
                owed_back[provider].append(add_recovery(session, provider, "50.00", at=later))
    return lines, owed_back


def run_process(database: Database, crash_at: str) -> int:
    completed = subprocess.run(
        [sys.executable, str(PROCESS), database.url, crash_at], timeout=120, check=False
    )
    return completed.returncode


async def paid_lines(database: Database) -> dict[tuple[str, int], str | None]:
    async with database.reading() as session:
        rows = await session.execute(
            select(InvoiceLine.invoice_id, InvoiceLine.line_number, InvoiceLine.payment_reference)
        )
        return {(invoice_id, number): reference for invoice_id, number, reference in rows.all()}


async def paid_events(database: Database) -> list[dict[str, object]]:
    async with database.reading() as session:
        payloads = await session.scalars(select(outbox.c.payload).order_by(outbox.c.id))
        events = [json.loads(payload) for payload in payloads]
    return [event["data"] for event in events if event["type"] == "mediprima.invoice.paid"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("crash_at", "paid_before_restart"),
    [
        pytest.param("claimed:3", 2, id="killed-before-the-third-provider-commits"),
        pytest.param("committed:3", 3, id="killed-after-the-third-provider-commits"),
    ],
)
async def test_i05_a_run_killed_halfway_then_restarted_pays_every_line_exactly_once(
    backend: str, crash_at: str, paid_before_restart: int, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        lines, owed_back = await seed(database)
        accepted = {line for line, verdict in lines.items() if verdict == "accepted"}

        assert run_process(database, crash_at) == -signal.SIGKILL

        halfway = await paid_lines(database)
        paid_halfway = {line for line, reference in halfway.items() if reference}
        assert len(paid_halfway) == paid_before_restart * INVOICES_EACH * 2
        assert paid_halfway < accepted
        async with database.reading() as session:
            [(run_id, status)] = (
                await session.execute(select(PaymentRun.run_id, PaymentRun.status))
            ).all()
        assert status == "running"
        async with database.reading() as session:
            crashed = await runs.get_run(session, run_id=run_id)
        assert (crashed.providers_to_pay, crashed.providers_paid) == (
            PROVIDERS,
            paid_before_restart,
        )
        assert crashed.paid_invoices == paid_before_restart * INVOICES_EACH
        assert crashed.amount == sum(payment.amount for payment in crashed.payments)
        assert len(crashed.payments) == paid_before_restart

        assert run_process(database, "never") == 0
        assert run_process(database, "never") == 0  # a second run pays nothing

        final = await paid_lines(database)
        assert {line for line, reference in final.items() if reference} == accepted
        for line in paid_halfway:
            assert final[line] == halfway[line]  # nothing paid before the crash was paid again
        async with database.transaction() as session:
            payments = list(await session.scalars(select(ProviderPayment)))
            finished = list(
                await session.scalars(select(PaymentRun).order_by(PaymentRun.started_at))
            )
        assert len(payments) == PROVIDERS
        assert len({payment.provider for payment in payments}) == PROVIDERS
        assert {payment.run_id for payment in payments} == {run_id}  # resumed, not redone
        assert [
            (run.status, run.providers_to_pay, run.providers_paid, run.paid_invoices)
            for run in finished
        ] == [
            ("finished", PROVIDERS, PROVIDERS, PROVIDERS * INVOICES_EACH),
            ("finished", 0, 0, 0),
        ]
        assert finished[0].amount == sum(payment.amount for payment in payments)
        await assert_recovered_once(database, owed_back, payments)

        events = await paid_events(database)
        assert Counter(str(event["invoice_id"]) for event in events) == Counter(
            {invoice_id: 1 for invoice_id, _ in accepted}
        )
        references = {payment.provider: payment.payment_reference for payment in payments}
        for event in events:
            assert event["payment_reference"] == references[str(event["provider"])]
            assert event["amount"] == "70.50"  # the lines paid; recoveries are the provider's


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_two_runs_at_once_pay_every_line_exactly_once(
    backend: str, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        lines, owed_back = await seed(database)
        accepted = {line for line, verdict in lines.items() if verdict == "accepted"}

        results = await asyncio.gather(run_payments(database), run_payments(database))

        final = await paid_lines(database)
        assert {line for line, reference in final.items() if reference} == accepted
        assert sum(result.paid_invoices for result in results) >= PROVIDERS * INVOICES_EACH
        async with database.reading() as session:
            providers = list(await session.scalars(select(ProviderPayment.provider)))
        assert sorted(providers) == sorted(set(providers))  # one payment per provider
        assert len(providers) == PROVIDERS
        events = await paid_events(database)
        assert len(events) == len({str(event["invoice_id"]) for event in events})
        assert len(events) == PROVIDERS * INVOICES_EACH
        async with database.transaction() as session:
            payments = list(await session.scalars(select(ProviderPayment)))
        await assert_recovered_once(database, owed_back, payments)
        for result in results:  # each run's record counts what it paid, not the other's
            assert result.status == "finished"
            assert result.providers_to_pay == result.providers_paid == len(result.payments)
            assert result.amount == sum(payment.amount for payment in result.payments)
        assert sum({r.run_id: r.providers_paid for r in results}.values()) == PROVIDERS


async def assert_recovered_once(
    database: Database, owed_back: dict[str, list[str]], payments: list[ProviderPayment]
) -> None:
    """Each provider was owed 141.00 for its lines; 100.00 (and for the first one 50.00 more)
    is taken back once: the first provider's payment is 0.00 and 9.00 stays owed."""
    async with database.transaction() as session:
        recoveries = {r.credit_reference: r for r in await session.scalars(select(Recovery))}
        offsets = list(await session.scalars(select(RecoveryOffset)))
    by_provider = {payment.provider: payment for payment in payments}
    first, *others = owed_back
    assert all(payment.lines_amount == Decimal("141.00") for payment in payments)
    assert (by_provider[first].recovered, by_provider[first].amount) == (
        Decimal("141.00"),
        Decimal("0.00"),
    )
    assert by_provider[first].balance_owed == Decimal("9.00")
    for provider in others:
        assert (by_provider[provider].recovered, by_provider[provider].amount) == (
            Decimal("100.00"),
            Decimal("41.00"),
        )
        assert by_provider[provider].balance_owed == Decimal("0.00")
    assert [recoveries[r].outstanding for r in owed_back[first]] == [
        Decimal("0.00"),
        Decimal("9.00"),
    ]
    assert all(recoveries[owed_back[p][0]].outstanding == Decimal("0.00") for p in others)
    assert len(offsets) == PROVIDERS + 1  # one per recovery taken back, never two
    for reference, recovery in recoveries.items():
        taken = sum(o.amount for o in offsets if o.credit_reference == reference)
        assert taken == recovery.amount - recovery.outstanding  # reconciled to the cent
