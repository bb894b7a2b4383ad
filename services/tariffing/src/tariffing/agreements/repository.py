from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_domain.guarantee import Agreement
from tariffing.agreements.models import ConsultationView


async def agreement(session: AsyncSession, agreement_number: str) -> Agreement | None:
    """The payment guarantee an agreement number stands for (C-02), if it is known."""
    view = await session.scalar(
        select(ConsultationView)
        .where(ConsultationView.agreement_number == agreement_number)
        .order_by(ConsultationView.consulted_at)
        .limit(1)
    )
    if (
        view is None
        or view.agreement_number is None
        or view.decision_number is None
        or view.version is None
        or view.agreement_valid_until is None
    ):
        return None
    return Agreement(
        agreement_number=view.agreement_number,
        provider=view.provider,
        ssin=view.ssin,
        decision_number=view.decision_number,
        version=view.version,
        valid_until=view.agreement_valid_until,
        person_id=view.person_id,
    )
