"""Handing a file over between OCMWs (D-14): request, accept, refuse, settle a conflict.

The caller's transaction commits; nothing here does. Every answer is idempotent: accepting,
refusing or settling again the same way changes nothing and answers the same.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import rules
from decision_registry.decisions.rules import HandOverStatus
from decision_registry.decisions.versions import load_current, record_change
from decision_registry.handovers import repository
from decision_registry.handovers.models import HandOver
from decision_registry.handovers.schemas import (
    HandOverFilter,
    HandOverPage,
    HandOverRequest,
    HandOverTarget,
    HandOverView,
    RefusalRequest,
    SettlementRequest,
)
from decision_registry.reference import medical_vocabulary
from mediprima_contracts.components import ChangeKind, DecisionStatus, Finding, Ocmw
from servicekit.auth import Principal
from servicekit.errors import Conflict, Forbidden, NotFound, ServiceError


async def request_hand_over(
    session: AsyncSession, *, decision_number: str, request: HandOverRequest, caller: Principal
) -> tuple[HandOverView, bool]:
    """The owner hands the file over; the receiver answers within 5 calendar days. A repeat of
    a pending hand-over to the same OCMW answers it again (False: not created now)."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    _check_not_stopped(current.snapshot.status)
    rules.check_hand_over_target_d14(
        owner=current.decision.ocmw_enterprise_number, to=request.to.enterprise_number
    )
    now = datetime.now(UTC)
    pending = await repository.pending_for_decision(session, current.decision.id)
    if pending is not None:
        if pending.to_enterprise_number != request.to.enterprise_number:
            raise Conflict.for_rule(
                "D-14",
                "hand_over.already_pending",
                f"The file is being handed over to {pending.to_enterprise_number} already",
            )
        return _view(pending, decision_number, now), False
    warnings = rules.settle_findings_d13(
        rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason")
    )
    hand_over = await repository.add(
        session,
        HandOver(
            id=str(uuid.uuid4()),
            decision_id=current.decision.id,
            from_enterprise_number=current.decision.ocmw_enterprise_number,
            to_enterprise_number=request.to.enterprise_number,
            to_municipality_nis=request.to.municipality_nis,
            to_name_nl=request.to.name_nl,
            to_name_fr=request.to.name_fr,
            reason=request.reason,
            status=HandOverStatus.PENDING.value,
            requested_on=now.date(),
            deadline=rules.hand_over_deadline_d14(now.date()),
            requested_at=now,
        ),
    )
    return _view(hand_over, decision_number, now, warnings), True


async def get_hand_over(
    session: AsyncSession, *, hand_over_id: str, caller: Principal
) -> HandOverView:
    hand_over, number = await _visible(session, hand_over_id, caller)
    return _view(hand_over, number, datetime.now(UTC))


async def list_hand_overs(
    session: AsyncSession,
    *,
    caller: Principal,
    status: HandOverFilter | None,
    limit: int,
    offset: int,
) -> HandOverPage:
    """An OCMW's incoming and outgoing hand-overs; an operator's: all (`conflict`: to settle)."""
    now = datetime.now(UTC)
    rows, total = await repository.page(
        session,
        party=None if caller.is_operator else caller.subject,
        status=status,
        today=now.date(),
        limit=limit,
        offset=offset,
    )
    return HandOverPage(
        items=[_view(hand_over, number, now) for hand_over, number in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def accept_hand_over(
    session: AsyncSession, *, hand_over_id: str, caller: Principal
) -> HandOverView:
    """The receiver takes the file over: a new version owned by it from today (D-14)."""
    hand_over, number = await _for_receiver(session, hand_over_id, caller)
    now = datetime.now(UTC)
    if hand_over.status != HandOverStatus.ACCEPTED:
        rules.check_answerable_d14(HandOverStatus(hand_over.status))
        hand_over.version = await _transfer(session, hand_over, number, now)
        hand_over.status = HandOverStatus.ACCEPTED.value
        hand_over.answered_at = now
    return _view(hand_over, number, now)


async def refuse_hand_over(
    session: AsyncSession, *, hand_over_id: str, request: RefusalRequest, caller: Principal
) -> HandOverView:
    """The receiver does not take the file: a competence conflict for the funder (D-14)."""
    hand_over, number = await _for_receiver(session, hand_over_id, caller)
    now = datetime.now(UTC)
    if hand_over.status == HandOverStatus.REFUSED:
        return _view(hand_over, number, now)
    rules.check_answerable_d14(HandOverStatus(hand_over.status))
    warnings = rules.settle_findings_d13(
        rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason")
    )
    hand_over.status = HandOverStatus.REFUSED.value
    hand_over.refusal_reason = request.reason
    hand_over.answered_at = now
    return _view(hand_over, number, now, warnings)


async def settle_hand_over(
    session: AsyncSession, *, hand_over_id: str, request: SettlementRequest
) -> HandOverView:
    """The funder settles a competence conflict: the file passes to the receiver as on
    acceptance, or stays with the sender (D-14)."""
    found = await repository.get(session, hand_over_id, lock=True)
    if found is None:
        raise _not_found(hand_over_id)
    hand_over, number = found
    now = datetime.now(UTC)
    competent = request.competent_ocmw
    if hand_over.status == HandOverStatus.SETTLED and hand_over.competent_ocmw == competent:
        return _view(hand_over, number, now)
    rules.check_settleable_d14(
        status=HandOverStatus(hand_over.status), deadline=hand_over.deadline, today=now.date()
    )
    rules.check_settlement_party_d14(
        competent=competent,
        sender=hand_over.from_enterprise_number,
        receiver=hand_over.to_enterprise_number,
    )
    if competent == hand_over.to_enterprise_number:
        hand_over.version = await _transfer(session, hand_over, number, now)
    hand_over.status = HandOverStatus.SETTLED.value
    hand_over.competent_ocmw = competent
    hand_over.answered_at = hand_over.answered_at or now
    return _view(hand_over, number, now)


async def _transfer(
    session: AsyncSession, hand_over: HandOver, decision_number: str, now: datetime
) -> int:
    """A version owned by the receiver from today; every version before keeps its owner."""
    current = await load_current(session, decision_number=decision_number, caller=None)
    before = current.snapshot
    _check_not_stopped(before.status)
    receiver = Ocmw(
        enterprise_number=hand_over.to_enterprise_number,
        municipality_nis=hand_over.to_municipality_nis,
        name_nl=hand_over.to_name_nl,
        name_fr=hand_over.to_name_fr,
    )
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "change_kind": ChangeKind.HANDED_OVER,
            "ocmw": receiver,
            "effective_from": now.date(),
            "narrowing_from": now.date(),
            "warnings": [],
        }
    )
    view = await record_change(
        session,
        current,
        snapshot,
        at=now,
        reason=f"handed over by {hand_over.from_enterprise_number}: {hand_over.reason}",
    )
    return view.version


async def _visible(
    session: AsyncSession, hand_over_id: str, caller: Principal, *, lock: bool = False
) -> tuple[HandOver, str]:
    found = await repository.get(session, hand_over_id, lock=lock)
    if found is None or not (
        caller.is_operator
        or caller.subject in (found[0].from_enterprise_number, found[0].to_enterprise_number)
    ):
        raise _not_found(hand_over_id)
    return found


async def _for_receiver(
    session: AsyncSession, hand_over_id: str, caller: Principal
) -> tuple[HandOver, str]:
    hand_over, number = await _visible(session, hand_over_id, caller, lock=True)
    if caller.subject != hand_over.to_enterprise_number:
        raise Forbidden.for_rule(
            "D-14", "hand_over.not_receiver", "Only the receiving OCMW answers a hand-over"
        )
    return hand_over, number


def _check_not_stopped(status: DecisionStatus) -> None:
    if status is DecisionStatus.STOPPED:
        raise Conflict.for_rule(
            "D-14", "hand_over.decision_stopped", "A stopped decision is not handed over"
        )


def _not_found(hand_over_id: str) -> ServiceError:
    """The same answer whether it does not exist or is other OCMWs' business."""
    return NotFound.for_rule("D-14", "hand_over.not_found", f"Hand-over {hand_over_id} not found")


def _view(
    hand_over: HandOver, decision_number: str, now: datetime, warnings: list[Finding] | None = None
) -> HandOverView:
    status = HandOverStatus(hand_over.status)
    return HandOverView(
        hand_over_id=hand_over.id,
        decision_number=decision_number,
        from_ocmw=hand_over.from_enterprise_number,
        to=HandOverTarget(
            enterprise_number=hand_over.to_enterprise_number,
            municipality_nis=hand_over.to_municipality_nis,
            name_nl=hand_over.to_name_nl,
            name_fr=hand_over.to_name_fr,
        ),
        reason=hand_over.reason,
        status=status,
        requested_on=hand_over.requested_on,
        deadline=hand_over.deadline,
        conflict=rules.in_conflict_d14(
            status=status, deadline=hand_over.deadline, today=now.date()
        ),
        refusal_reason=hand_over.refusal_reason,
        competent_ocmw=hand_over.competent_ocmw,
        version=hand_over.version,
        warnings=warnings or [],
    )
