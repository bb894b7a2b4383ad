"""Recording what a provider or operator learnt of a person's cover (issue 13: every read of a
person's data by a provider is audited)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.components import Ocmw
from servicekit.auth import Principal
from tariffing.reads import repository


async def record_read(
    session: AsyncSession,
    *,
    caller: Principal,
    endpoint: str,
    ssin: str,
    person_id: str | None,
    ocmw: Ocmw | None,
) -> None:
    await repository.add(
        session,
        {
            "read_id": str(uuid.uuid4()),
            "read_at": datetime.now(UTC),
            "reader_role": caller.role.value,
            "reader": caller.subject,
            "endpoint": endpoint,
            "ssin": ssin,
            "person_id": person_id,
            "ocmw": ocmw.enterprise_number if ocmw is not None else None,
        },
    )
