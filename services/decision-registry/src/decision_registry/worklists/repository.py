"""The worklists' queries: each filters in SQL and returns one page and the total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision
from decision_registry.decisions.rules import HandOverStatus
from decision_registry.handovers.models import HandOver
from decision_registry.mutations.models import MutationStatus, RegisterMutation
from decision_registry.worklists.schemas import WorklistKind
from mediprima_contracts.components import DecisionStatus, MutationKind
from servicekit.auth import Role
from servicekit.tenancy import Tenant

ENDING_WITHIN_DAYS = 14


@dataclass(frozen=True)
class Row:
    """A decision on a worklist, the date that puts it there and what the action depends on."""

    decision_number: str
    version: int
    ocmw: str
    ssin: str
    last_name: str
    first_name: str
    relevant_date: date
    pending: int = 0
    fund_affiliation: bool = False
    hand_over_id: str | None = None


async def page(
    session: AsyncSession,
    *,
    kind: WorklistKind,
    tenant: Tenant,
    today: date,
    limit: int,
    offset: int,
) -> tuple[list[Row], int]:
    """One page of the worklist `kind` as `tenant` may see it, and its length: an OCMW its own
    decisions (and the hand-overs offered to it), an operator every OCMW's."""
    owner = (
        HandOver.to_enterprise_number
        if kind is WorklistKind.HAND_OVERS
        else (Decision.ocmw_enterprise_number)
    )
    query = tenant.restrict(_QUERIES[kind](today), {Role.OCMW: owner})
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    found = await session.execute(
        query.order_by("relevant_date", Decision.decision_number).limit(limit).offset(offset)
    )
    return [Row(**row._mapping) for row in found], int(total or 0)


def _decision_columns() -> list[Any]:
    return [
        Decision.decision_number.label("decision_number"),
        Decision.current_version.label("version"),
        Decision.ocmw_enterprise_number.label("ocmw"),
        Decision.ssin.label("ssin"),
        Decision.last_name.label("last_name"),
        Decision.first_name.label("first_name"),
    ]


def _pending_mutations(_today: date) -> Select[Any]:
    pending = (
        select(
            RegisterMutation.decision_id,
            func.min(RegisterMutation.effective_date).label("first_day"),
            func.count(RegisterMutation.id).label("pending"),
            func.max(
                case((RegisterMutation.kind == MutationKind.FUND_AFFILIATION.value, 1), else_=0)
            ).label("fund"),
        )
        .where(RegisterMutation.status == MutationStatus.PENDING.value)
        .group_by(RegisterMutation.decision_id)
        .subquery()
    )
    query = (
        select(
            *_decision_columns(),
            pending.c.first_day.label("relevant_date"),
            pending.c.pending.label("pending"),
            (pending.c.fund == 1).label("fund_affiliation"),
        )
        .join(pending, pending.c.decision_id == Decision.id)
        .where(Decision.status == DecisionStatus.SUSPENDED.value)
    )
    return query


def _deaths(_today: date) -> Select[Any]:
    reported = select(RegisterMutation.decision_id).where(
        RegisterMutation.kind == MutationKind.DEATH.value
    )
    query = select(*_decision_columns(), Decision.death_date.label("relevant_date")).where(
        Decision.status != DecisionStatus.STOPPED.value,
        Decision.death_date.is_not(None),
        Decision.id.in_(reported),
    )
    return query


def _ending(column: Any) -> Any:
    def query(today: date) -> Select[Any]:
        ending = select(*_decision_columns(), column.label("relevant_date")).where(
            Decision.status == DecisionStatus.ACTIVE.value,
            column.between(today, today + timedelta(days=ENDING_WITHIN_DAYS)),
        )
        return ending

    return query


def _hand_overs(_today: date) -> Select[Any]:
    query = (
        select(
            *_decision_columns(),
            HandOver.deadline.label("relevant_date"),
            HandOver.id.label("hand_over_id"),
        )
        .join(HandOver, HandOver.decision_id == Decision.id)
        .where(HandOver.status == HandOverStatus.PENDING.value)
    )
    return query


_QUERIES = {
    WorklistKind.PENDING_MUTATIONS: _pending_mutations,
    WorklistKind.DEATHS: _deaths,
    WorklistKind.URGENT_AID_ENDING: _ending(Decision.urgent_aid_ends_on),
    WorklistKind.INSURABILITY_ENDING: _ending(Decision.insurability_ends_on),
    WorklistKind.HAND_OVERS: _hand_overs,
}
