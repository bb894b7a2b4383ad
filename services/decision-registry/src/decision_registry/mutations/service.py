"""Register mutations (D-08, D-07, D-11): one function for the HTTP feed and the topic alike.

Every effect is a new version of each open decision for the person, published as usual. A
mutation is identified by its content, so a repeat (or the same fact on both routes) is a no-op.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository as decisions
from decision_registry.decisions import rules
from decision_registry.decisions.versions import load_current, record_version
from decision_registry.mutations import repository
from decision_registry.mutations.models import RegisterMutation
from decision_registry.mutations.schemas import (
    MutationAccepted,
    MutationOutcome,
    PendingOrPastMutation,
)
from mediprima_contracts.components import ChangeKind, DecisionStatus, MutationKind
from mediprima_contracts.events.decisions import DecisionVersionPublished
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
    """Apply a register mutation to every decision of the person that is not stopped."""
    key = mutation_key(mutation)
    outcomes: list[MutationOutcome] = []
    for decision in await decisions.list_open_for_person(session, ssin=mutation.ssin):
        number = str(decision.decision_number)
        if await repository.exists(session, decision_id=decision.id, mutation_key=key):
            outcomes.append(
                MutationOutcome(
                    decision_number=number,
                    effect="already_applied",
                    version=decision.current_version,
                    status=DecisionStatus(decision.status),
                )
            )
            continue
        outcomes.append(await _apply_to(session, number, mutation, key))
    return MutationAccepted(
        ssin=mutation.ssin,
        kind=mutation.kind,
        effective_date=mutation.effective_date,
        decisions=outcomes,
    )


async def _apply_to(
    session: AsyncSession, decision_number: str, mutation: RegisterMutationReported, key: str
) -> MutationOutcome:
    now = datetime.now(UTC)
    current = await load_current(session, decision_number=decision_number, caller=None)
    before = current.snapshot
    effect = rules.mutation_effect_d08(mutation.kind)
    row = await repository.add(
        session,
        RegisterMutation(
            decision_id=current.decision.id,
            mutation_key=key,
            ssin=mutation.ssin,
            kind=mutation.kind.value,
            effective_date=mutation.effective_date,
            new_ssin=mutation.new_ssin,
            new_last_name=mutation.new_name.last_name if mutation.new_name else None,
            new_first_name=mutation.new_name.first_name if mutation.new_name else None,
            status="pending" if effect is rules.MutationEffect.SUSPEND else "applied",
            received_at=now,
        ),
    )
    update: dict[str, object] = {
        "version": rules.next_version_d01(current.version),
        "change_kind": ChangeKind.MUTATION,
        "effective_from": max(mutation.effective_date, before.period.start),
        "warnings": [],
    }
    if effect is rules.MutationEffect.RENAME:
        assert mutation.new_name is not None
        update["person"] = before.person.model_copy(update=mutation.new_name.model_dump())
    elif effect is rules.MutationEffect.RECORD_DEATH:
        rules.settle_findings_d13(
            rules.check_death_after_birth_d07(
                birth_date=before.person.birth_date, death_date=mutation.effective_date
            )
        )
        update["person"] = before.person.model_copy(update={"death_date": mutation.effective_date})
    else:
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
    snapshot = DecisionVersionPublished.model_validate(
        before.model_copy(update=update).model_dump()
    )
    view = await record_version(
        session,
        current.decision,
        snapshot,
        at=now,
        refund_policy_version=current.stored.refund_policy_version,
        reason=f"register mutation: {mutation.kind.value}",
    )
    row.version = view.version
    return MutationOutcome(
        decision_number=decision_number,
        effect=effect.value,
        version=view.version,
        status=view.status,
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
            status=item.status,
            version=item.version,
        )
        for item in await repository.list_for_decision(session, current.decision.id)
    ]
