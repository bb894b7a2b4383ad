"""Monthly settlement runs. The caller's transaction commits; nothing here does."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.settlements import SettlementClosed
from servicekit.errors import NotFound
from servicekit.messaging.outbox import emit
from settlement.settlements import repository, rules
from settlement.settlements.models import Settlement
from settlement.settlements.schemas import OcmwTotals, SettlementStarted, SettlementView, Totals

SOURCE = "settlement"


async def run_month(session: AsyncSession, *, month: str) -> SettlementStarted:
    """Compute (or recompute, while open) the month from the ledger."""
    settlement = await repository.by_month(session, month)
    if settlement is not None:
        rules.refuse_closed_month_s04(status=settlement.status, month=month)
    per_ocmw = [
        {"enterprise_number": entry["ocmw"], **{k: v for k, v in entry.items() if k != "ocmw"}}
        for entry in await repository.totals_per_ocmw(session, month)
    ]
    totals = rules.month_totals_s04(per_ocmw)
    now = datetime.now(UTC)
    if settlement is None:
        settlement = Settlement(settlement_id=str(uuid.uuid4()), month=month, status="open")
        session.add(settlement)
    settlement.computed_at = now
    settlement.totals = _as_json(totals)
    settlement.per_ocmw = [_as_json(entry) for entry in per_ocmw]
    await session.flush()
    return SettlementStarted(settlement_id=settlement.settlement_id, status="open")


async def get_settlement(session: AsyncSession, *, settlement_id: str) -> SettlementView:
    settlement = await _existing(session, settlement_id)
    return SettlementView(
        settlement_id=settlement.settlement_id,
        month=settlement.month,
        status=settlement.status,
        totals=Totals.model_validate(settlement.totals),
        per_ocmw=[OcmwTotals.model_validate(entry) for entry in settlement.per_ocmw],
    )


async def close(session: AsyncSession, *, settlement_id: str) -> SettlementView:
    settlement = await _existing(session, settlement_id)
    rules.refuse_closed_month_s04(status=settlement.status, month=settlement.month)
    now = datetime.now(UTC)
    settlement.status, settlement.closed_at = "closed", now
    summary = json.dumps(
        {"totals": settlement.totals, "per_ocmw": settlement.per_ocmw}, sort_keys=True
    ).encode()
    await emit(
        session,
        SettlementClosed(
            settlement_id=settlement.settlement_id,
            month=settlement.month,
            closed_at=now,
            totals=settlement.totals,
            file_checksums={"summary.json": hashlib.sha256(summary).hexdigest()},
        ),
        subject=settlement.month,
        source=SOURCE,
        occurred_at=now,
    )
    await session.flush()
    return await get_settlement(session, settlement_id=settlement_id)


async def _existing(session: AsyncSession, settlement_id: str) -> Settlement:
    settlement = await repository.get(session, settlement_id)
    if settlement is None:
        raise NotFound.for_rule(
            "S-01", "settlement.not_found", f"Settlement {settlement_id} not found"
        )
    return settlement


def _as_json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: str(value) if not isinstance(value, int | str) else value
        for key, value in values.items()
    }
