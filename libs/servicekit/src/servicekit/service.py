"""A service's definition and the FastAPI app built from it: API, consumers and outbox relay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from opentelemetry.sdk.trace.export import SpanExporter
from prometheus_fastapi_instrumentator import Instrumentator

from servicekit import health
from servicekit.auth import TokenVerifier
from servicekit.bus.api import EventBus
from servicekit.bus.factory import build_bus, dead_letter_topic
from servicekit.db import Database
from servicekit.errors import install_problem_handlers
from servicekit.http import CorrelationMiddleware
from servicekit.keysets import FileKeySet, KeySet, RemoteKeySet
from servicekit.limits import BodyLimit, BodyLimitMiddleware
from servicekit.localkeys import ensure_local_keys
from servicekit.logging import configure_logging
from servicekit.messaging.consumer import EventConsumer, Handler
from servicekit.messaging.relay import OutboxRelay
from servicekit.metrics import ScrapeGauges, http_latency, read_outbox_gauges
from servicekit.namespace import NamespacedBus
from servicekit.ratelimits import RateLimits
from servicekit.settings import ServiceSettings
from servicekit.tracing import Tracing

log = structlog.get_logger()
WORKER_STOP_SECONDS = 10.0


@dataclass(frozen=True)
class ConsumerSpec:
    """A consumer group of this service: which topics, and one handler per event type."""

    group: str
    topics: Sequence[str]
    handlers: dict[str, Handler]


Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""A worker's loop: it runs until the event is set, then returns."""


@dataclass(frozen=True)
class BackgroundSpec:
    """Background work of this service besides its consumers and relay (e.g. a schedule).

    `build` makes the loop from the settings and the database, or None when the settings turn
    the work off; the loop runs supervised and stops with the service, like the consumers.
    """

    name: str
    build: Callable[[ServiceSettings, Database], Work | None]


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    title: str
    description: str
    settings_class: type[ServiceSettings]
    routers: Sequence[APIRouter]
    migrations: Path
    publishes: Sequence[str] = ()
    consumers: Sequence[ConsumerSpec] = ()
    background: Sequence[BackgroundSpec] = ()
    body_limits: Mapping[str, BodyLimit] = field(default_factory=dict)
    """Request body limits by exact path, where the service default does not fit."""
    on_startup: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = field(default=())
    scrape_gauges: Sequence[ScrapeGauges] = ()
    """The service's own gauges read from its database when `/metrics` is scraped."""

    def topics(self) -> list[str]:
        consumed = [topic for spec in self.consumers for topic in spec.topics]
        dead_letters = [dead_letter_topic(spec.group) for spec in self.consumers]
        return sorted({*self.publishes, *consumed, *dead_letters})


def create_app(
    definition: ServiceDefinition,
    settings: ServiceSettings | None = None,
    *,
    span_exporter: SpanExporter | None = None,
) -> FastAPI:
    """`span_exporter` receives the service's spans besides OTLP (tests: an in-memory one)."""
    settings = settings or definition.settings_class()
    production = settings.mode == "production"
    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version="1.0.0",
        lifespan=_lifespan(definition, settings),
        # Production serves the document to operators only (servicekit.health).
        docs_url=None if production else "/docs",
        redoc_url=None if production else "/redoc",
        openapi_url=None if production else "/openapi.json",
    )
    app.state.settings = settings
    app.state.scrape_gauges = [
        partial(read_outbox_gauges, definition.name),
        *definition.scrape_gauges,
    ]
    app.state.rate_limits = (
        RateLimits(
            service=definition.name,
            per_identity=settings.rate_limit_per_caller,
            per_address=settings.rate_limit_per_address,
            bad_tokens_per_address=settings.bad_tokens_per_address,
        )
        if settings.rate_limits
        else None
    )
    app.add_middleware(
        BodyLimitMiddleware,
        default=BodyLimit(settings.max_body_bytes),
        by_path=definition.body_limits,
    )
    app.add_middleware(CorrelationMiddleware)
    install_problem_handlers(app)
    app.state.tracing = Tracing.build(
        definition.name, endpoint=settings.otel_exporter_otlp_endpoint, exporter=span_exporter
    )
    app.state.tracing.instrument_app(app)
    Instrumentator(
        excluded_handlers=["/metrics", "/health", "/ready"], should_group_status_codes=False
    ).add(http_latency(definition.name)).instrument(app)
    app.include_router(health.router)
    app.include_router(health.metrics_router(protected=production))
    if production:
        app.include_router(health.documents_router(app))
    for router in definition.routers:
        app.include_router(router)
    return app


def key_set(settings: ServiceSettings) -> KeySet:
    if settings.auth_jwks_url:
        return RemoteKeySet(settings.auth_jwks_url)
    assert settings.auth_jwks_path is not None
    return FileKeySet.read(settings.auth_jwks_path)


def build_service_bus(settings: ServiceSettings) -> EventBus:
    bus = build_bus(
        settings.bus,
        sql_url=settings.bus_url,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        partitions=settings.topic_partitions,
        client_id=settings.service_name,
        kafka_security=settings.kafka_security,
    )
    return NamespacedBus(bus, settings.topic_prefix) if settings.topic_prefix else bus


def _lifespan(definition: ServiceDefinition, settings: ServiceSettings) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tracing: Tracing = app.state.tracing
        configure_logging(service=definition.name, level=settings.log_level)
        if settings.mode == "local" and settings.auth_jwks_path is not None:
            ensure_local_keys(settings.auth_jwks_path.parent)
        app.state.verifier = TokenVerifier(
            keys=key_set(settings), issuer=settings.auth_issuer, audience=settings.auth_audience
        )
        app.state.database = database = Database(settings.database_url)
        tracing.instrument_database(database)
        app.state.bus = bus = build_service_bus(settings)
        await bus.start()
        await bus.create_topics(definition.topics())
        for hook in definition.on_startup:
            await hook(app)
        stop = asyncio.Event()
        workers = _start_workers(definition, settings, database, bus, stop, tracing)
        log.info("service.started", port=settings.port, bus=settings.bus)
        try:
            yield
        finally:
            await _stop_workers(workers, stop)
            await bus.close()
            await database.dispose()
            tracing.shutdown()
            log.info("service.stopped")

    return lifespan


def _start_workers(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    database: Database,
    bus: EventBus,
    stop: asyncio.Event,
    tracing: Tracing,
) -> list[asyncio.Task[None]]:
    workers: list[asyncio.Task[None]] = []
    if settings.run_relay:
        relay = OutboxRelay(database=database, bus=bus, tracing=tracing)
        workers.append(asyncio.create_task(_supervise("relay", relay.run, stop), name="relay"))
    if settings.run_consumers:
        for spec in definition.consumers:
            consumer = EventConsumer(
                service=definition.name,
                tracing=tracing,
                group=spec.group,
                topics=spec.topics,
                handlers=spec.handlers,
                database=database,
                bus=bus,
            )
            workers.append(
                asyncio.create_task(_supervise(spec.group, consumer.run, stop), name=spec.group)
            )
    for background in definition.background:
        work = background.build(settings, database)
        if work is not None:
            workers.append(
                asyncio.create_task(_supervise(background.name, work, stop), name=background.name)
            )
    return workers


async def _stop_workers(workers: list[asyncio.Task[None]], stop: asyncio.Event) -> None:
    """Let workers finish the step they are in; cancelling one in the middle of a database
    call can leave a SQLite connection that never closes. Cancel only the ones that hang."""
    stop.set()
    if not workers:
        return
    _done, hanging = await asyncio.wait(workers, timeout=WORKER_STOP_SECONDS)
    for worker in hanging:
        log.warning("worker.cancelled_at_stop", worker=worker.get_name())
        worker.cancel()
    for worker in hanging:
        with suppress(asyncio.CancelledError):
            await worker


async def _supervise(
    name: str, work: Callable[[asyncio.Event], Coroutine[Any, Any, None]], stop: asyncio.Event
) -> None:
    """Restart a worker that crashed, so one bad moment does not silence a consumer for good."""
    while not stop.is_set():
        try:
            await work(stop)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("worker.crashed", worker=name, error=repr(exc))
            await asyncio.sleep(1.0)
