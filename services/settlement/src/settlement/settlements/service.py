"""Monthly settlement runs and closing. The caller's transaction commits; nothing here does."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.settlements import SettlementClosed
from mediprima_contracts.values import YearMonth
from servicekit.errors import NotFound
from servicekit.messaging.outbox import emit
from servicekit.tenancy import SERVICE
from settlement.directory import repository as directory
from settlement.ledger.models import LedgerLine
from settlement.settlements import repository, rules
from settlement.settlements.files import documents, layout
from settlement.settlements.files.documents import Month, OcmwHeading
from settlement.settlements.metrics import time_until_committed
from settlement.settlements.models import CLOSED, OPEN, Settlement
from settlement.settlements.rules import Sums
from settlement.settlements.schemas import (
    SettlementMonth,
    SettlementMonthPage,
    SettlementStarted,
    SettlementView,
)

SOURCE = "settlement"
log = structlog.get_logger()


class RunProgress(Protocol):
    """How a run reports its progress, in lines written (the CLI draws a bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, lines: int) -> None: ...


class _Quiet:
    def start(self, total: int) -> None:
        pass

    def advance(self, lines: int) -> None:
        pass


async def run_month(
    session: AsyncSession, *, month: str, progress: RunProgress | None = None
) -> SettlementStarted:
    """Compute (or recompute, while open) the month from the ledger, reconciled (S-01..S-04)."""
    time_until_committed(session, "run")
    rules.refuse_month_outside_platform_s01(
        month=YearMonth(month), current=YearMonth.containing(datetime.now(UTC).date())
    )
    settlement = await repository.by_month(session, month)
    if settlement is not None:
        rules.refuse_closed_month_s04(status=settlement.status, month=month)
    settlement_id = settlement.settlement_id if settlement else str(uuid.uuid4())
    computed = await _compute(session, settlement_id, month, progress or _Quiet())
    if settlement is None:
        settlement = Settlement(settlement_id=settlement_id, month=month, status=OPEN)
        session.add(settlement)
    _store(settlement, computed)
    await session.flush()
    log.info("settlement.run.finished", month=month, lines=computed["ledger"].lines)
    return SettlementStarted(settlement_id=settlement_id, status="open")


async def close(session: AsyncSession, *, settlement_id: str) -> SettlementView:
    """S-04: recompute the month one last time, reconciled, then freeze it for good."""
    time_until_committed(session, "close")
    settlement = await _existing(session, settlement_id, lock=True)
    rules.refuse_closed_month_s04(status=settlement.status, month=settlement.month)
    rules.refuse_month_outside_platform_s01(
        month=YearMonth(settlement.month), current=YearMonth.containing(datetime.now(UTC).date())
    )
    computed = await _compute(session, settlement_id, settlement.month, _Quiet())
    _store(settlement, computed)
    checksums = dict(computed["checksums"])
    for heading in computed["headings"]:
        body = await statement_pdf(session, month_of(settlement), heading)
        name = layout.file_name("ocmw", settlement.month, "pdf", ocmw=heading.enterprise_number)
        checksums[name] = hashlib.sha256(body).hexdigest()
    now = datetime.now(UTC)
    settlement.status, settlement.closed_at = CLOSED, now
    settlement.file_checksums = dict(sorted(checksums.items()))
    ledger: Sums = computed["ledger"]
    await emit(
        session,
        SettlementClosed(
            settlement_id=settlement.settlement_id,
            month=settlement.month,
            closed_at=now,
            totals={
                "state_share": layout.money(ledger.state_share),
                "ocmw_share": layout.money(ledger.ocmw_share),
                "patient_share": layout.money(ledger.patient_share),
                "lines": ledger.lines,
                "invoices": ledger.invoices,
            },
            file_checksums=settlement.file_checksums,
        ),
        subject=settlement.settlement_id,
        source=SOURCE,
        occurred_at=now,
    )
    await session.flush()
    log.info("settlement.month.closed", month=settlement.month, files=len(checksums))
    return view(settlement)


async def list_months(session: AsyncSession, *, offset: int, limit: int) -> SettlementMonthPage:
    """Settled months, newest first: ids, statuses and dates, no amounts."""
    rows = await repository.months(session, offset=offset, limit=limit + 1)
    return SettlementMonthPage(
        items=[SettlementMonth.model_validate(row, from_attributes=True) for row in rows[:limit]],
        next_offset=offset + limit if len(rows) > limit else None,
    )


async def get_settlement(session: AsyncSession, *, settlement_id: str) -> SettlementView:
    return view(await _existing(session, settlement_id))


async def get_settlement_row(session: AsyncSession, *, settlement_id: str) -> Settlement:
    return await _existing(session, settlement_id)


async def _compute(
    session: AsyncSession, settlement_id: str, month: str, progress: RunProgress
) -> dict[str, Any]:
    """Aggregate in the database, write every file once to hash and tally it, reconcile."""
    await repository.freeze_bookings(session)
    watermark = await repository.ledger_watermark(session)
    frozen = Month(settlement_id, month, watermark, layout.CURRENT_LAYOUT)
    groups = await repository.alongside(
        session, partial(documents.statement_groups, month=frozen, tenant=SERVICE)
    )
    try:
        return await _compute_with(session, frozen, groups, progress)
    finally:
        if isinstance(groups, asyncio.Task) and not groups.done():
            groups.cancel()


async def _compute_with(
    session: AsyncSession,
    frozen: Month,
    groups: Awaitable[documents.StatementGroups],
    progress: RunProgress,
) -> dict[str, Any]:
    month = frozen.month
    ledger = await repository.month_sums(session, month, frozen.watermark)
    per_ocmw = {
        key[0]: sums
        for key, sums in await repository.sums_per(
            session, month, frozen.watermark, LedgerLine.ocmw, tenant=SERVICE
        )
    }
    headings = await _headings(session, list(per_ocmw))
    # Each run freezes the names its statements show (the close's run is the last one), after
    # the OCMWs' names: a run that shows a decision's OCMW name also has its person's name.
    await repository.freeze_names(session, frozen.settlement_id, month, frozen.watermark)
    progress.start(ledger.lines)
    written = await documents.write_all(session, frozen, headings, groups, progress.advance)
    differences = rules.reconcile_s04(
        ledger=ledger,
        ledger_per_ocmw=per_ocmw,
        funder_files=[written.funder],
        statements=written.statements,
    )
    if differences:
        log.error("settlement.run.not_reconciled", month=month, differences=differences)
    rules.ensure_reconciled_s04(month, differences)
    statement_sum = rules.add_shares_and_lines(s.total for s in written.statements.values())
    statement_invoices = sum(s.total.invoices for s in written.statements.values())
    checksums = written.checksums
    return {
        "watermark": frozen.watermark,
        "layout": frozen.layout,
        "ledger": ledger,
        "per_ocmw": per_ocmw,
        "headings": headings,
        "checksums": checksums,
        "report": {
            "reconciled": True,
            "ledger": _totals_json(ledger),
            "funder_file": _totals_json(written.funder.total),
            "ocmw_statements": _totals_json(Sums(*statement_sum.money_only(), statement_invoices)),
            "statements": len(written.statements),
        },
    }


def _store(settlement: Settlement, computed: dict[str, Any]) -> None:
    settlement.computed_at = datetime.now(UTC)
    settlement.ledger_watermark = computed["watermark"]
    settlement.file_layout = computed["layout"]
    settlement.totals = _totals_json(computed["ledger"])
    settlement.per_ocmw = [
        {
            "enterprise_number": heading.enterprise_number,
            "name": heading.name,
            "language": heading.language,
            **_totals_json(computed["per_ocmw"][heading.enterprise_number]),
        }
        for heading in computed["headings"]
    ]
    settlement.report = computed["report"]
    settlement.file_checksums = dict(sorted(computed["checksums"].items()))


async def _headings(session: AsyncSession, enterprise_numbers: list[str]) -> list[OcmwHeading]:
    """Each OCMW's name and statement language from the directory, frozen into the run."""
    known = {
        entry.enterprise_number: entry
        for entry in await directory.entries(session, enterprise_numbers)
    }
    headings = []
    for number in enterprise_numbers:
        entry = known.get(number)
        name_nl, name_fr = (entry.name_nl, entry.name_fr) if entry else (None, None)
        language = rules.statement_language_s02(
            entry.language if entry else None, name_nl=name_nl, name_fr=name_fr
        )
        name = rules.statement_name_s02(
            language, enterprise_number=number, name_nl=name_nl, name_fr=name_fr
        )
        headings.append(OcmwHeading(number, name, language))
    return headings


async def statement_pdf(session: AsyncSession, month: Month, heading: OcmwHeading) -> bytes:
    # reportlab loads only where a PDF is drawn: a run (the CLI's own process) draws none
    from settlement.settlements.files import pdf

    number = heading.enterprise_number
    its_own = documents.statement_reader(number)
    totals = await repository.sums_per(
        session, month.month, month.watermark, LedgerLine.ocmw, tenant=its_own
    )
    providers, persons = await documents.statement_groups(session, month, its_own)
    if not layout.names_in(month.layout):  # a month closed before names keeps its PDF
        return pdf.statement_pdf(
            month,
            heading,
            totals[0][1] if totals else Sums(),
            providers.get(number, []),
            [((person.ssin,), person.sums) for person in persons.get(number, [])],
        )
    names = await documents.statement_names(session, month, number)
    lines = [
        pdf.line_of(row, names)
        async for batch in repository.stream_lines(
            session, month.month, month.watermark, tenant=its_own
        )
        for row in batch
    ]
    return pdf.statement_pdf(
        month,
        heading,
        totals[0][1] if totals else Sums(),
        providers.get(number, []),
        [
            ((person.ssin, pdf.shown(names.of(person.decision_number))), person.sums)
            for person in persons.get(number, [])
        ],
        lines=lines,
    )


async def _existing(session: AsyncSession, settlement_id: str, *, lock: bool = False) -> Settlement:
    settlement = await repository.get(session, settlement_id, lock=lock)
    if settlement is None:
        raise NotFound.for_rule(
            "S-01", "settlement.not_found", f"Settlement {settlement_id} not found"
        )
    return settlement


def month_of(settlement: Settlement) -> Month:
    return Month(
        settlement.settlement_id,
        settlement.month,
        settlement.ledger_watermark or 0,
        settlement.file_layout,
    )


def _totals_json(sums: Sums) -> dict[str, Any]:
    return {
        "state_share": layout.money(sums.state_share),
        "ocmw_share": layout.money(sums.ocmw_share),
        "patient_share": layout.money(sums.patient_share),
        "total": layout.money(sums.total),
        "lines": sums.lines,
        "invoices": sums.invoices,
    }


def view(settlement: Settlement) -> SettlementView:
    return SettlementView.model_validate(
        {
            "settlement_id": settlement.settlement_id,
            "month": settlement.month,
            "status": settlement.status,
            "computed_at": settlement.computed_at,
            "closed_at": settlement.closed_at,
            "totals": _with_total(settlement.totals),
            "per_ocmw": [_skeleton_entry(entry) for entry in settlement.per_ocmw],
            "reconciliation": settlement.report,
            "files": settlement.file_checksums or {},
        }
    )


def _with_total(totals: dict[str, Any]) -> dict[str, Any]:
    # Rows computed before revision 5e7700000002 carry no `total`; it follows from the shares.
    if "total" in totals:
        return totals
    shares = (Decimal(str(totals[share])) for share in rules.SHARES)
    return {**totals, "total": str(sum(shares, Decimal("0.00")))}


def _skeleton_entry(entry: dict[str, Any]) -> dict[str, Any]:
    number = str(entry["enterprise_number"])
    defaults = {"name": f"OCMW/CPAS {number}", "language": "fr"}
    return {**defaults, **_with_total(entry)}
