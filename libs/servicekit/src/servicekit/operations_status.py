"""One service's state for its operators: outbox backlog, consumer lag, dead letters waiting.

What `mediprima status` prints and `GET /v1/operations/status` answers (the web console's
health page), computed once here from `servicekit.backlog` and the dead-letter store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from servicekit.auth import Role, require
from servicekit.backlog import consumer_lag, outbox_backlog
from servicekit.db import Database
from servicekit.deadletters import store
from servicekit.scheduling import utc_now
from servicekit.settings import ServiceSettings

if TYPE_CHECKING:
    from servicekit.service import ConsumerSpec


class OutboxView(BaseModel):
    unsent: int = Field(description="Events written but not yet published (parked excluded).")
    oldest_unsent_age_seconds: float | None = Field(
        description="How long the oldest unsent event has waited; growing: the relay cannot "
        "reach the bus."
    )
    parked: int = Field(description="Rows the bus refused for good, waiting for an operator.")


class LagView(BaseModel):
    group: str = Field(examples=["invoicing.pricing"], description="The consumer group.")
    topic: str = Field(examples=["mediprima.pricing"], description="One of its topics.")
    lag: int = Field(description="Records after the group's committed offset, all partitions.")


class ServiceStatus(BaseModel):
    service: str = Field(examples=["invoicing"], description="The service.")
    bus: str = Field(examples=["kafka"], description="`kafka` or `sql` (the SQL event log).")
    outbox: OutboxView
    dead_letters_waiting: dict[str, int] = Field(
        description="Per consumer group, the dead letters waiting for a replay.",
        examples=[{"invoicing.pricing": 1}],
    )
    consumer_lag: list[LagView] = Field(description="Per consumer group and topic.")


async def service_status(
    *,
    service: str,
    settings: ServiceSettings,
    database: Database,
    consumers: Sequence[ConsumerSpec],
    now: datetime,
) -> ServiceStatus:
    """The service's backlog, lag and waiting letters as of `now`."""
    backlog = await outbox_backlog(database, now=now)
    async with database.reading() as session:
        waiting = await store.waiting_by_group(session)
    lags = await consumer_lag(
        settings, [(spec.group, topic) for spec in consumers for topic in spec.topics]
    )
    return ServiceStatus(
        service=service,
        bus=settings.bus,
        outbox=OutboxView(
            unsent=backlog.unsent,
            oldest_unsent_age_seconds=backlog.oldest_unsent_age_seconds,
            parked=backlog.parked,
        ),
        dead_letters_waiting={spec.group: waiting.get(spec.group, 0) for spec in consumers},
        consumer_lag=[LagView(group=g.group, topic=g.topic, lag=g.lag) for g in lags],
    )


router = APIRouter(
    prefix="/v1/operations/status", tags=["operations"], dependencies=[require(Role.OPERATOR)]
)


@router.get("", response_model=ServiceStatus)
async def status(request: Request) -> ServiceStatus:
    """This service's outbox backlog, consumer lag and dead letters waiting (operators)."""
    state = request.app.state
    return await service_status(
        service=state.service_name,
        settings=state.settings,
        database=state.database,
        consumers=state.consumers,
        now=utc_now(),
    )
