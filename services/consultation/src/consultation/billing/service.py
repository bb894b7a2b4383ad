"""I-06 use cases: exemption declarations, provider kinds, the route of a case, paper checks."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.billing import repository, rules
from consultation.billing.models import BillingExemption, ProviderKindRecord
from consultation.billing.rules import BillingVerdict, Exemption, ExemptionReason, ProviderKind
from consultation.billing.schemas import (
    BillingRouteReason,
    ExemptionRequest,
    ExemptionView,
    PaperInvoiceCheck,
    PaperInvoiceCheckRequest,
    ProviderKindRequest,
    ProviderKindView,
)
from consultation.decisions import service as decisions
from mediprima_contracts.values import RizivNumber
from mediprima_domain.coverage import CareQuestion, CoverageAnswer
from servicekit.auth import Principal
from servicekit.tenancy import Tenant
from servicekit.unique_rows import insert_unless_present

log = structlog.get_logger()


async def record_exemption(
    session: AsyncSession, *, request: ExemptionRequest, caller: Principal, today: date
) -> tuple[ExemptionView, bool]:
    """I-06: the caller OCMW records a GP's declaration; the same body again changes nothing.
    Returns the record and whether it was new."""
    rules.check_exempt_provider_i06(is_doctor=request.provider.is_doctor)
    rules.check_declared_on_i06(declared_on=request.declared_on, today=today)
    row = BillingExemption(
        exemption_id=str(uuid.uuid4()),
        ocmw=caller.subject,
        provider=str(request.provider),
        reason=request.reason.value,
        declared_on=request.declared_on,
        document_reference=request.document_reference,
        recorded_at=datetime.now(UTC),
    )
    earlier = await insert_unless_present(
        session,
        row,
        lambda: repository.exemption_by_reference(
            session, ocmw=caller.subject, document_reference=request.document_reference
        ),
    )
    if earlier is not None:
        rules.check_same_declaration_i06(
            same_body=(earlier.provider, earlier.reason, earlier.declared_on)
            == (row.provider, row.reason, row.declared_on)
        )
        return _exemption_view(earlier), False
    log.info("consultation.billing_exemption.recorded", exemption_id=row.exemption_id)
    return _exemption_view(row), True


async def exemptions(
    session: AsyncSession, *, caller: Principal, provider: str | None
) -> list[ExemptionView]:
    """An OCMW reads the declarations it recorded; an operator every OCMW's."""
    found = await repository.exemptions(session, Tenant.of(caller), provider=provider)
    return [_exemption_view(row) for row in found]


async def set_provider_kind(
    session: AsyncSession, *, riziv_number: str, request: ProviderKindRequest, caller: Principal
) -> ProviderKindView:
    """I-06: an operator records where a provider works."""
    now = datetime.now(UTC)
    row = ProviderKindRecord(
        riziv_number=riziv_number,
        kind=request.kind.value,
        recorded_at=now,
        recorded_by=caller.subject,
    )
    earlier = await insert_unless_present(
        session, row, lambda: repository.provider_kind(session, riziv_number)
    )
    if earlier is not None:
        earlier.kind, earlier.recorded_at, earlier.recorded_by = row.kind, now, caller.subject
        await session.flush()
        row = earlier
    log.info("consultation.provider_kind.recorded", kind=row.kind)
    return ProviderKindView(riziv_number=row.riziv_number, kind=row.kind, recorded_at=now)


async def provider_kind_view(session: AsyncSession, *, riziv_number: str) -> ProviderKindView:
    row = await repository.provider_kind(session, riziv_number)
    if row is None:
        return ProviderKindView(riziv_number=riziv_number, kind=ProviderKind.PRACTICE)
    return ProviderKindView(riziv_number=riziv_number, kind=row.kind, recorded_at=row.recorded_at)


async def route_for(
    session: AsyncSession, *, provider: RizivNumber, answer: CoverageAnswer, billing_day: date
) -> BillingVerdict:
    """I-06 for care the coverage `answer` describes, billed by `provider` on `billing_day`."""
    covering = answer.decision if answer.covered else None
    ocmw = answer.ocmw.enterprise_number if covering is not None and answer.ocmw else None
    kind = await repository.kind_of(session, provider)
    # The covering OCMW's own declarations decide (they are made "aan het OCMW").
    declared = await repository.declared_to(session, ocmw=ocmw, provider=provider) if ocmw else []
    return rules.billing_route_i06(
        billing_day=billing_day,
        decision_date=covering.decision_date if covering is not None else None,
        provider_kind=ProviderKind(kind) if kind else ProviderKind.PRACTICE,
        exemptions=[
            Exemption(reason=ExemptionReason(row.reason), declared_on=row.declared_on)
            for row in declared
        ],
        is_hospital=provider.is_hospital,
    )


async def check_paper_invoice(
    session: AsyncSession, *, request: PaperInvoiceCheckRequest, caller: Principal
) -> PaperInvoiceCheck:
    """I-06: was this paper invoice to the caller OCMW allowed? Only the caller's own decisions
    count: another OCMW's cover is neither revealed nor used."""
    rules.check_paper_invoice_dates_i06(
        date_of_care=request.date_of_care, invoiced_on=request.invoiced_on
    )
    answer = await decisions.answer_for(
        session,
        CareQuestion(
            ssin=request.ssin,
            on=request.date_of_care,
            care_type=request.care_type,
            provider=request.provider,
        ),
    )
    if answer.ocmw is None or answer.ocmw.enterprise_number != caller.subject:
        answer = CoverageAnswer(decision=None)
    verdict = await route_for(
        session, provider=request.provider, answer=answer, billing_day=request.invoiced_on
    )
    return PaperInvoiceCheck(
        allowed=verdict.paper_allowed,
        billing_route=verdict.route,
        reason=BillingRouteReason.of(verdict),
    )


def _exemption_view(row: BillingExemption) -> ExemptionView:
    return ExemptionView.model_validate(row, from_attributes=True)
