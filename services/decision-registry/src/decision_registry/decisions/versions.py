"""Writing a version: the guarded version bump, the stored snapshot and its event, together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.decisions.schemas import DecisionInput, DecisionView
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

    decision: Decision
    stored: DecisionVersion
    snapshot: DecisionVersionPublished

    @property
    def version(self) -> int:
        return self.snapshot.version


async def load_current(
    session: AsyncSession, *, decision_number: str, caller: Principal | None
) -> CurrentVersion:
    """The decision and its current version; another OCMW's decision is not found (D-14).

    `caller=None` is the register feed or an operator: it sees every decision.
    """
    decision = await repository.get_by_number(session, decision_number)
    if decision is None:
        raise NotFound.for_rule(
            "D-01", "decision.not_found", f"Decision {decision_number} not found"
        )
    rules.hide_unless_owner_d14(
        owner=decision.ocmw_enterprise_number,
        caller=None if caller is None or caller.is_operator else caller.subject,
        decision_number=decision_number,
    )
    stored = await repository.get_version(session, decision.id, decision.current_version)
    assert stored is not None, "a decision always has its current version"
    return CurrentVersion(
        decision=decision,
        stored=stored,
        snapshot=DecisionVersionPublished.model_validate(stored.snapshot),
    )


def view_of(stored: DecisionVersion) -> DecisionView:
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
    refund: rules.RefundAssessment,
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
        refund_code=refund.refund_code,
        state_share=state_share_of(refund),
        urgent_medical_aid=refund.urgent_medical_aid,
        warnings=warnings,
    )


async def record_version(
    session: AsyncSession,
    decision: Decision,
    snapshot: DecisionVersionPublished,
    *,
    at: datetime,
    refund_policy_version: str | None,
    reason: str | None = None,
) -> DecisionView:
    """Store `snapshot` as the decision's next version and publish it (D-01).

    For a change, the version moves only if nobody moved it since it was read: else 412.
    """
    if snapshot.version > 1:
        moved = await repository.advance_version(
            session,
            decision_id=decision.id,
            expected_version=snapshot.version - 1,
            new_version=snapshot.version,
            status=snapshot.status,
            ssin=snapshot.ssin,
            at=at,
        )
        if not moved:
            raise PreconditionFailed.for_rule(
                "D-01",
                "decision.version_stale",
                f"Decision {snapshot.decision_number} changed meanwhile: read it again",
                "If-Match",
            )
    stored = DecisionVersion(
        decision_id=decision.id,
        version=snapshot.version,
        change_kind=snapshot.change_kind,
        snapshot=snapshot.model_dump(mode="json"),
        refund_policy_version=refund_policy_version,
        reason=reason,
        created_at=at,
    )
    await repository.add_version(session, stored)
    await emit(session, snapshot, subject=snapshot.decision_number, source=SOURCE, occurred_at=at)
    return view_of(stored)
