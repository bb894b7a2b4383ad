"""An event larger than the bus carries is refused where it is made: the change rolls back, the
outbox never holds it, and the events behind it are not held up."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.testing.events import example_coverage
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.messaging.outbox import MAX_EVENT_BYTES, EventTooLarge, emit
from servicekit.messaging.tables import outbox

from .harness import consultation_event, rig


async def test_an_event_over_the_bus_limit_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    providers = [random_gp_riziv() for _ in range(2000)]
    coverages = [example_coverage(providers=providers) for _ in range(50)]
    huge = ConsultationRecorded.model_validate(
        consultation_event().model_dump() | {"coverages": coverages}
    )
    async with rig("sql", tmp_path) as r:

        async def change_with_a_huge_event() -> None:
            async with r.database.transaction() as session:
                await emit(session, consultation_event(), source="test")
                await emit(session, huge, source="test")

        with pytest.raises(EventTooLarge) as refused:
            await change_with_a_huge_event()
        async with r.database.transaction() as session:
            await emit(session, consultation_event(), source="test")
        async with r.database.reading() as session:
            kept = await session.scalar(select(func.count()).select_from(outbox))

    assert refused.value.status == 422
    assert refused.value.errors[0].code == "event.too_large"
    assert str(MAX_EVENT_BYTES) in refused.value.detail
    assert kept == 1  # the refused change's first event rolled back with it
