from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_domain.guarantee import Agreement
from servicekit import statements
from servicekit.db import table_of
from tariffing.agreements.models import ConsultationView

_CONSULTATIONS = table_of(ConsultationView).c
_FIRST_WITH_NUMBER = (
    select(
        _CONSULTATIONS.agreement_number,
        _CONSULTATIONS.provider,
        _CONSULTATIONS.ssin,
        _CONSULTATIONS.decision_number,
        _CONSULTATIONS.version,
        _CONSULTATIONS.agreement_valid_until,
        _CONSULTATIONS.person_id,
    )
    .where(_CONSULTATIONS.agreement_number == bindparam("agreement_number"))
    .order_by(_CONSULTATIONS.consulted_at)
    .limit(1)
)


async def agreement(session: AsyncSession, agreement_number: str) -> Agreement | None:
    """The payment guarantee an agreement number stands for (C-02), if it is known."""
    rows = await statements.run(session, _FIRST_WITH_NUMBER, {"agreement_number": agreement_number})
    view = rows.first()
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
