"""Register mutations (D-08, D-07, D-11): one function for the HTTP feed and the topic alike.

Every effect is a new version of each decision of the person it bears on, published as usual.
The person is found under any of their numbers (D-08), so a mutation reported under a new
number reaches decisions still filed under the old one. A mutation is identified by its
content, so a repeat (or the same fact on both routes) is a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository as decisions
from decision_registry.decisions import rules
from decision_registry.decisions.models import Decision
from decision_registry.decisions.schemas import DecisionView
from decision_registry.decisions.versions import load_current, record_change
from decision_registry.mutations import repository
from decision_registry.mutations.models import MutationStatus, RegisterMutation
from decision_registry.mutations.schemas import (
    MutationAccepted,
    MutationOutcome,
    PendingOrPastMutation,
)
from decision_registry.persons import service as persons
from mediprima_contracts.components import ChangeKind, DecisionStatus, MutationKind
from mediprima_contracts.events.register_mutations import RegisterMutationReported
from servicekit.auth import Principal


def mutation_key(mutation: RegisterMutationReported) -> str:
    name = mutation.new_name
    parts = [
        mutation.ssin,
        mutation.kind.value,
        mutation.effective_date.isoformat(),
        mutation.new_ssin or "",
        name.last_name if name else "",
        name.first_name if name else "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


async def apply_mutation(
    session: AsyncSession, *, mutation: RegisterMutationReported
) -> MutationAccepted:
    """Apply a register mutation to the decisions of the person it is about."""
    key = mutation_key(mutation)
    now = datetime.now(UTC)
    person_id = await persons.person_of_number(session, mutation.ssin)
    outcomes: list[MutationOutcome] = []
    if person_id is not None:
        await persons.lock_person(session, person_id)
        person_id, absorbed = await _register_number(session, person_id, mutation, now)
        for decision in await decisions.list_for_person(session, person_id=person_id):
            outcome = await _apply_to(session, decision, mutation, key, absorbed, now)
            if outcome is not None:
                outcomes.append(outcome)
    return MutationAccepted(
        ssin=mutation.ssin,
        kind=mutation.kind,
        effective_date=mutation.effective_date,
        decisions=outcomes,
    )


async def _register_number(
    session: AsyncSession, person_id: str, mutation: RegisterMutationReported, now: datetime
) -> tuple[str, set[int]]:
    """D-08: an SSIN change gives the person the new number (pending while decisions wait for
    the OCMW); the person kept and the decisions of a record merged into it."""
    new_ssin = mutation.new_ssin
    if mutation.kind is not MutationKind.SSIN_CHANGE or not new_ssin or new_ssin == mutation.ssin:
        return person_id, set()
    waiting = [
        decision
        for decision in await decisions.list_for_person(session, person_id=person_id)
        if decision.status != DecisionStatus.STOPPED and decision.ssin != new_ssin
    ]
    joined = await persons.register_new_number(
        session, person_id=person_id, new_ssin=new_ssin, take_over_now=not waiting, at=now
    )
    return joined.person_id, set(joined.absorbed_decisions)


async def _apply_to(
    session: AsyncSession,
    decision: Decision,
    mutation: RegisterMutationReported,
    key: str,
    absorbed: set[int],
    now: datetime,
) -> MutationOutcome | None:
    number = str(decision.decision_number)
    if await repository.exists(session, decision_id=decision.id, mutation_key=key):
        return MutationOutcome(
            decision_number=number,
            effect="already_applied",
            version=decision.current_version,
            status=DecisionStatus(decision.status),
        )
    effect = rules.mutation_effect_d08(
        mutation.kind,
        stopped=decision.status == DecisionStatus.STOPPED,
        under_new_number=decision.ssin == mutation.new_ssin,
        absorbed=decision.id in absorbed,
    )
    if effect is None:
        return None
    row = await repository.add(
        session,
        RegisterMutation(
            decision_id=decision.id,
            mutation_key=key,
            ssin=mutation.ssin,
            kind=mutation.kind.value,
            effective_date=mutation.effective_date,
            new_ssin=mutation.new_ssin,
            new_last_name=mutation.new_name.last_name if mutation.new_name else None,
            new_first_name=mutation.new_name.first_name if mutation.new_name else None,
            status=(
                MutationStatus.PENDING
                if effect is rules.MutationEffect.SUSPEND
                else MutationStatus.APPLIED
            ).value,
            received_at=now,
        ),
    )
    changes: dict[str, Any] = {}
    if effect is rules.MutationEffect.RENAME:
        assert mutation.new_name is not None
        changes["name"] = mutation.new_name.model_dump()
    elif effect is rules.MutationEffect.RECORD_DEATH:
        changes["death_date"] = mutation.effective_date
    view = await record_effect(
        session,
        decision_number=number,
        effect=effect,
        effective_date=mutation.effective_date,
        at=now,
        reason=f"register mutation: {mutation.kind.value}",
        **changes,
    )
    row.version = view.version
    return MutationOutcome(
        decision_number=number, effect=effect.value, version=view.version, status=view.status
    )


async def record_effect(
    session: AsyncSession,
    *,
    decision_number: str,
    effect: rules.MutationEffect,
    effective_date: date,
    at: datetime,
    reason: str,
    name: dict[str, str] | None = None,
    death_date: date | None = None,
) -> DecisionView:
    """One register-mutation version: from the mutation's date when it suspends, never before
    the version it follows when it changes no right (D-08)."""
    current = await load_current(session, decision_number=decision_number, caller=None)
    before = current.snapshot
    day = rules.mutation_day_d08(effect=effect, effective_date=effective_date, previous=before)
    update: dict[str, object] = {
        "version": rules.next_version_d01(current.version),
        "change_kind": ChangeKind.MUTATION,
        "effective_from": day,
        "narrowing_from": day,
        "warnings": [],
    }
    if name is not None:
        update["person"] = before.person.model_copy(update=name)
    if death_date is not None:
        rules.settle_findings_d13(
            rules.check_death_after_birth_d07(
                birth_date=before.person.birth_date, death_date=death_date
            )
        )
        update["person"] = before.person.model_copy(update={"death_date": death_date})
    if effect is rules.MutationEffect.SUSPEND:
        pending = await repository.pending_for(session, current.decision.id)
        update["status"] = DecisionStatus.SUSPENDED
        update["warnings"] = rules.settle_findings_d13(
            rules.several_pending_d08(
                [
                    rules.PendingMutation(
                        mutation_id=item.id,
                        kind=MutationKind(item.kind),
                        effective_date=item.effective_date,
                    )
                    for item in pending
                ]
            )
        )
    return await record_change(
        session, current, before.model_copy(update=update), at=at, reason=reason
    )


async def publish_identity(
    session: AsyncSession, *, decision_ids: Sequence[int], at: datetime
) -> None:
    """D-08: decisions of a person record merged into another learn the person kept."""
    for decision_id in decision_ids:
        decision = await decisions.get_by_id(session, decision_id)
        assert decision is not None
        await record_effect(
            session,
            decision_number=str(decision.decision_number),
            effect=rules.MutationEffect.MERGE_IDENTITY,
            effective_date=at.date(),
            at=at,
            reason="person records merged",
        )


async def list_for_decision(
    session: AsyncSession, *, decision_number: str, caller: Principal
) -> list[PendingOrPastMutation]:
    """The register mutations that bore on one decision, and where each stands (D-08)."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    return [
        PendingOrPastMutation(
            kind=MutationKind(item.kind),
            effective_date=item.effective_date,
            status=MutationStatus(item.status),
            version=item.version,
        )
        for item in await repository.list_for_decision(session, current.decision.id)
    ]
