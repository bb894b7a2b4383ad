"""Writing a version: the guarded version bump, the stored snapshot and its event, together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.repository import DecisionRef, StoredVersion
from decision_registry.decisions.schemas import DecisionInput, DecisionView
from decision_registry.persons import service as persons
from decision_registry.refunds.service import state_share_of
from mediprima_contracts.components import ChangeKind, DecisionStatus, Finding
from mediprima_contracts.events.decisions import DecisionVersionPublished
from servicekit.auth import Principal
from servicekit.errors import NotFound, PreconditionFailed
from servicekit.messaging.outbox import emit

SOURCE = "decision-registry"


@dataclass(frozen=True)
class CurrentVersion:
    """A decision with its current version, as a change starts from it."""

    decision: DecisionRef
    stored: StoredVersion
    snapshot: DecisionVersionPublished

    @property
    def version(self) -> int:
        return self.snapshot.version


async def load_current(
    session: AsyncSession,
    *,
    decision_number: str,
    caller: Principal | None,
    lock_person: bool = False,
) -> CurrentVersion:
    """The decision and its current version; another OCMW's decision is not found (D-14).

    `caller=None` is the register feed or an operator: it sees every decision. A change that
    checks the person's other decisions (D-14) passes `lock_person`: the person's row is held
    until the transaction ends, so filings about them wait.
    """
    found = await repository.get_current(session, decision_number, lock_person=lock_person)
    if found is None:
        raise NotFound.for_rule(
            "D-01", "decision.not_found", f"Decision {decision_number} not found"
        )
    decision, stored = found
    rules.hide_unless_owner_d14(
        owner=decision.ocmw_enterprise_number,
        caller=None if caller is None or caller.is_operator else caller.subject,
        decision_number=decision_number,
    )
    return CurrentVersion(
        decision=decision,
        stored=stored,
        snapshot=DecisionVersionPublished.model_validate(stored.snapshot),
    )


def view_of(stored: StoredVersion) -> DecisionView:
    return DecisionView.model_validate(
        {
            **stored.snapshot,
            "refund_policy_version": stored.refund_policy_version,
            "reason": stored.reason,
        }
    )


def snapshot_from_input(
    request: DecisionInput,
    *,
    decision_number: str,
    version: int,
    status: DecisionStatus,
    change_kind: ChangeKind,
    effective_from: date,
    narrowing_from: date,
    refund: rules.RefundAssessment,
    urgent_aid_period_start: date | None,
    warnings: list[Finding],
) -> DecisionVersionPublished:
    fields: dict[str, Any] = request.model_dump()
    return DecisionVersionPublished(
        **fields,
        decision_number=decision_number,
        version=version,
        status=status,
        change_kind=change_kind,
        effective_from=effective_from,
        narrowing_from=narrowing_from,
        refund_code=refund.refund_code,
        state_share=state_share_of(refund),
        urgent_medical_aid=refund.urgent_medical_aid,
        urgent_aid_period_start=urgent_aid_period_start,
        warnings=warnings,
    )


def columns_of(snapshot: DecisionVersionPublished) -> dict[str, Any]:
    """The decision's columns as a version states them (overlaps and worklists read them)."""
    insurable = rules.transition_applies_d11(
        category=snapshot.category, insurable=snapshot.insurable
    )
    return {
        "status": snapshot.status.value,
        "ssin": snapshot.ssin,
        "ocmw_enterprise_number": snapshot.ocmw.enterprise_number,
        "period_start": snapshot.period.start,
        "period_end": snapshot.period.end,
        "last_name": snapshot.person.last_name,
        "first_name": snapshot.person.first_name,
        "death_date": snapshot.person.death_date,
        "urgent_aid_ends_on": snapshot.period.end if snapshot.urgent_medical_aid else None,
        "insurability_ends_on": rules.transition_end_d11(
            snapshot.insurable_since or snapshot.period.start, snapshot.insurability_extension
        )
        if insurable
        else None,
    }


async def record_version(
    session: AsyncSession,
    decision: DecisionRef,
    snapshot: DecisionVersionPublished,
    *,
    at: datetime,
    refund_policy_version: str | None,
    reason: str | None = None,
    identity: persons.Identity | None = None,
) -> DecisionView:
    """Store `snapshot` as the decision's next version and publish it (D-01).

    Every version states the day it was filed (the registry's clock) and its person: the
    identity kept across numbers, the numbers replaced and a new one pending (D-08); a caller
    that has just read them passes `identity`. For a change, the version moves only if nobody
    moved it since it was read: else 412.
    """
    if identity is None:
        identity = await persons.identity_of(
            session, person_id=decision.person_id, ssin=snapshot.ssin
        )
    snapshot = DecisionVersionPublished.model_validate(
        snapshot.model_dump()
        | {
            "filed_on": at.date(),
            "person_id": identity.person_id,
            "replaced_ssins": identity.replaced_ssins,
            "pending_ssin": identity.pending_ssin,
        }
    )
    columns = columns_of(snapshot)
    if snapshot.version == 1:
        await repository.state_first_version(
            session,
            decision_id=decision.id,
            decision_number=decision.decision_number,
            columns=columns,
        )
    else:
        moved = await repository.advance_version(
            session,
            decision_id=decision.id,
            expected_version=snapshot.version - 1,
            new_version=snapshot.version,
            columns=columns,
            at=at,
        )
        if not moved:
            raise PreconditionFailed.for_rule(
                "D-01",
                "decision.version_stale",
                f"Decision {snapshot.decision_number} changed meanwhile: read it again",
                "If-Match",
            )
    stored = StoredVersion(
        version=snapshot.version,
        snapshot=snapshot.model_dump(mode="json"),
        refund_policy_version=refund_policy_version,
        reason=reason,
    )
    await repository.add_version(
        session,
        {
            "decision_id": decision.id,
            "version": stored.version,
            "change_kind": snapshot.change_kind.value,
            "snapshot": stored.snapshot,
            "refund_policy_version": refund_policy_version,
            "reason": reason,
            "created_at": at,
        },
    )
    await emit(session, snapshot, subject=snapshot.decision_number, source=SOURCE, occurred_at=at)
    return view_of(stored)


async def record_change(
    session: AsyncSession,
    current: CurrentVersion,
    snapshot: DecisionVersionPublished,
    *,
    at: datetime,
    reason: str | None = None,
    refund_policy_version: str | None = None,
) -> DecisionView:
    """Record a change made by copying the current version (the policy version is kept)."""
    # model_copy skips validation: validate once so a rule's slip never reaches the topic.
    checked = DecisionVersionPublished.model_validate(snapshot.model_dump())
    return await record_version(
        session,
        current.decision,
        checked,
        at=at,
        refund_policy_version=refund_policy_version or current.stored.refund_policy_version,
        reason=reason,
    )
