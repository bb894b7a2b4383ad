"""Keeps the consultations (agreements) read model: idempotent, replayable in any order.

The consumer (`tariffing.pricing.consumers.on_consultation_recorded`) also prices the invoices
that waited for the agreement.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.consultations import ConsultationRecorded
from tariffing.agreements.models import ConsultationView


async def keep_consultation(session: AsyncSession, data: ConsultationRecorded) -> None:
    # A consultation never changes once recorded: a replay finds it and leaves it as it is.
    if await session.get(ConsultationView, data.consultation_id) is not None:
        return
    session.add(
        ConsultationView(
            consultation_id=data.consultation_id,
            agreement_number=data.agreement_number,
            agreement_valid_until=data.agreement_valid_until,
            provider=data.provider,
            ssin=data.ssin,
            person_id=data.person_id,
            care_date=data.date,
            covered=data.covered,
            decision_number=data.decision_number,
            version=data.version,
            consulted_at=data.consulted_at,
        )
    )
