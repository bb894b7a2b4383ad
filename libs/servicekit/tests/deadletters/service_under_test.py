"""A one-group service whose handler needs reference data: missing, its events are poison."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import Column, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.registry import serialize_envelope
from servicekit.bus.api import OutgoingRecord
from servicekit.db import Database, new_metadata
from servicekit.messaging.tables import metadata as messaging_metadata
from servicekit.scheduling import metadata as scheduling_metadata
from servicekit.service import ConsumerSpec, ServiceDefinition, build_service_bus, create_app
from servicekit.settings import ServiceSettings
from servicekit.testing import KAFKA_ENV, TokenFactory, postgres_database, required_env

Backend = Literal["sql", "kafka"]
GROUP = "tally.consultations"
metadata = new_metadata()

known_providers = Table("known_providers", metadata, Column("riziv", String(20), primary_key=True))
tallied = Table(
    "tallied_consultations",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("provider", String(20), nullable=False),
)


async def tally(session: AsyncSession, envelope: Envelope[Any]) -> None:
    """Counts a consultation, refusing one of a provider it has no reference data for."""
    event: ConsultationRecorded = envelope.data
    known = await session.scalar(
        select(known_providers.c.riziv).where(known_providers.c.riziv == event.provider)
    )
    if known is None:
        raise LookupError(f"provider {event.provider} is not in the reference data")
    await session.execute(
        tallied.insert().values(event_id=str(envelope.id), provider=event.provider)
    )


definition = ServiceDefinition(
    name="tally",
    title="tally",
    description="test service",
    settings_class=ServiceSettings,
    routers=[],
    migrations=Path("unused"),
    consumers=[
        ConsumerSpec(
            group=GROUP,
            topics=[CONSULTATIONS],
            handlers={ConsultationRecorded.event_type: tally},
        )
    ],
)


@dataclass
class Tally:
    client: httpx.AsyncClient
    database: Database
    settings: ServiceSettings

    async def publish(self, *events: ConsultationRecorded) -> list[Envelope[Any]]:
        envelopes: list[Envelope[Any]] = [
            Envelope.wrap(event, source="upstream", correlation_id=uuid.uuid4().hex)
            for event in events
        ]
        bus = build_service_bus(self.settings)
        await bus.start()
        try:
            await bus.publish(
                [
                    OutgoingRecord(CONSULTATIONS, e.subject, serialize_envelope(e), {})
                    for e in envelopes
                ]
            )
        finally:
            await bus.close()
        return envelopes

    async def know_provider(self, riziv: str) -> None:
        async with self.database.transaction() as session:
            await session.execute(known_providers.insert().values(riziv=riziv))

    async def tallies_of(self, event_id: str) -> int:
        async with self.database.reading() as session:
            count = await session.scalar(select(func.count()).where(tallied.c.event_id == event_id))
        return int(count or 0)


@asynccontextmanager
async def running_tally(backend: Backend, workdir: Path) -> AsyncIterator[Tally]:
    """The service on SQLite + SQL log, or PostgreSQL + Kafka under fresh topic names."""
    tokens = TokenFactory.create(workdir / "keys")
    async with AsyncExitStack() as stack:
        overrides: dict[str, Any] = {"var_dir": workdir, **tokens.settings_overrides()}
        if backend == "sql":
            overrides["database_url"] = f"sqlite+aiosqlite:///{workdir / 'tally.db'}"
            overrides["bus_url"] = f"sqlite+aiosqlite:///{workdir / 'bus.db'}"
        else:
            overrides["database_url"] = await stack.enter_async_context(postgres_database("dl"))
            overrides["bus"] = "kafka"
            overrides["kafka_bootstrap_servers"] = required_env(KAFKA_ENV)
            overrides["topic_prefix"] = f"dl{uuid.uuid4().hex[:8]}."
        settings = ServiceSettings(service_name="tally", rate_limits=False, **overrides)
        database = Database(settings.database_url)
        stack.push_async_callback(database.dispose)
        async with database.engine.begin() as connection:
            for tables in (messaging_metadata, scheduling_metadata, metadata):
                await connection.run_sync(tables.create_all)
        app = create_app(definition, settings)
        manager = await stack.enter_async_context(
            LifespanManager(app, startup_timeout=60, shutdown_timeout=30)
        )
        client = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app),
                base_url="http://tally",
                headers=tokens.headers(_operator(), "operator-1"),
            )
        )
        yield Tally(client, database, settings)


def _operator() -> Any:
    from servicekit.auth import Role

    return Role.OPERATOR
