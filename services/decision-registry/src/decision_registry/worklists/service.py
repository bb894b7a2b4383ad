"""OCMW worklists: what waits for the OCMW, paged; an OCMW sees its own, an operator all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import rules
from decision_registry.worklists import repository
from decision_registry.worklists.schemas import (
    WorklistItem,
    WorklistKind,
    WorklistPage,
    WorklistPerson,
)
from servicekit.auth import Principal
from servicekit.tenancy import Tenant


async def worklist(
    session: AsyncSession, *, kind: WorklistKind, caller: Principal, limit: int, offset: int
) -> WorklistPage:
    rows, total = await repository.page(
        session,
        kind=kind,
        tenant=Tenant.of(caller),
        today=datetime.now(UTC).date(),
        limit=limit,
        offset=offset,
    )
    return WorklistPage(
        items=[_item(kind, row) for row in rows], total=total, limit=limit, offset=offset
    )


def _item(kind: WorklistKind, row: repository.Row) -> WorklistItem:
    rule, action = _action(kind, row)
    return WorklistItem(
        decision_number=row.decision_number,
        version=row.version,
        ocmw=row.ocmw,
        person=WorklistPerson(ssin=row.ssin, last_name=row.last_name, first_name=row.first_name),
        relevant_date=row.relevant_date,
        rule=rule,
        action=action,
        hand_over_id=row.hand_over_id,
    )


def _action(kind: WorklistKind, row: repository.Row) -> tuple[str, str]:
    day = row.relevant_date
    if kind is WorklistKind.PENDING_MUTATIONS:
        if row.fund_affiliation:
            return "D-11", "The person joined a health fund: stop the decision"
        if row.pending > 1:
            return "D-08", (
                f"Several register mutations: stop the decision on {day - timedelta(days=1)} "
                f"and file a new one from {day}"
            )
        return "D-08", "Deal with the register mutation: reactivate the decision, or stop it"
    if kind is WorklistKind.DEATHS:
        return "D-07", (
            f"The person died on {day}: stop the decision with a date from {day} to "
            f"{rules.last_day_after_death_d07(day)}"
        )
    if kind is WorklistKind.URGENT_AID_ENDING:
        return "D-10", (
            f"Urgent medical aid ends on {day}: after a new social inquiry, extend it by at most "
            "3 months, or let it end"
        )
    if kind is WorklistKind.INSURABILITY_ENDING:
        return "D-11", (
            f"The insurability transition ends on {day}: affiliate the person to a health fund "
            "(a longer transition needs its one extension, with a reason)"
        )
    return "D-14", f"A file was handed over to you: accept or refuse it by {day}"
