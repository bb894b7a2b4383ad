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
from servicekit.backoff import Backoff
from servicekit.bus.api import EventBus
from servicekit.bus.factory import build_bus, dead_letter_topic
from servicekit.db import Database
from servicekit.deadletters.router import router as dead_letters_router
from servicekit.errors import install_problem_handlers
from servicekit.http import CorrelationMiddleware
from servicekit.keysets import FileKeySet, KeySet, RemoteKeySet
from servicekit.languages import OPENAPI_NOTE, LanguageMiddleware
from servicekit.limits import BodyLimit, BodyLimitMiddleware
from servicekit.localkeys import ensure_local_keys
from servicekit.logging import configure_logging
from servicekit.messaging.consumer import EventConsumer, Handler
from servicekit.messaging.relay import OutboxRelay
from servicekit.metrics import ScrapeGauges, http_latency, read_outbox_gauges
from servicekit.namespace import NamespacedBus
from servicekit.openapi_examples import document_examples
from servicekit.openapi_problems import document_problems
from servicekit.operations_status import router as status_router
from servicekit.outages import outage_of
from servicekit.overload import LoadSheddingMiddleware
from servicekit.ratelimits import RateLimits
from servicekit.retention import retention_job
from servicekit.settings import ServiceSettings
from servicekit.tracing import Tracing

log = structlog.get_logger()
CRASH_FORGOTTEN_AFTER_SECONDS = 60.0
"""A worker that ran this long before crashing starts again after the shortest pause."""


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
    append_only: frozenset[str] = frozenset()
    """Tables the service only ever adds to (its audit trails): on PostgreSQL its runtime role
    may read and insert their rows, never change or delete them (servicekit.dbroles)."""
    scrape_gauges: Sequence[ScrapeGauges] = ()
    """The service's own gauges read from its database when `/metrics` is scraped."""

    def api_routers(self) -> list[APIRouter]:
        """The service's own routers and the operator routers every service has."""
        return [*self.routers, dead_letters_router, status_router]

    def consumer_handlers(self) -> dict[str, dict[str, Handler]]:
        """Each consumer group's handlers by event type (what a dead letter is replayed with)."""
        return {spec.group: spec.handlers for spec in self.consumers}

    def topics(self) -> list[str]:
        consumed = [topic for spec in self.consumers for topic in spec.topics]
        return sorted({*self.written_topics(), *consumed})

    def written_topics(self) -> list[str]:
        """The topics this service appends to: what it publishes and its groups' dead letters."""
        dead_letters = [dead_letter_topic(spec.group) for spec in self.consumers]
        return sorted({*self.publishes, *dead_letters})


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
        description=f"{definition.description}\n\n{OPENAPI_NOTE}",
        version="1.0.0",
        lifespan=_lifespan(definition, settings),
        # Production serves the document to operators only (servicekit.health).
        docs_url=None if production else "/docs",
        redoc_url=None if production else "/redoc",
        openapi_url=None if production else "/openapi.json",
    )
    app.state.settings = settings
    app.state.consumer_handlers = definition.consumer_handlers()
    app.state.service_name = definition.name
    app.state.consumers = definition.consumers
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
    # Outside the body limit and everything else: a request shed costs next to nothing.
    app.add_middleware(
        LoadSheddingMiddleware,
        max_concurrent=settings.max_concurrent_requests,
        max_queued=settings.max_queued_requests,
        queue_seconds=settings.request_queue_seconds,
        retry_after_seconds=settings.overload_retry_after_seconds,
    )
    app.add_middleware(CorrelationMiddleware)
    app.add_middleware(LanguageMiddleware)  # outermost: a body-limit refusal is translated too
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
    app.include_router(health.asyncapi_router(protected=production))
    if production:
        app.include_router(health.documents_router(app))
    for router in definition.api_routers():
        app.include_router(router)
    document_problems(app)
    document_examples(app)  # after: the errors it gives examples to are documented
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
        busy_timeout=settings.database_busy_timeout_ms / 1000,
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
        app.state.database = database = Database.from_settings(settings)
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
            await _stop_workers(workers, stop, patience=settings.worker_stop_seconds)
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
    if settings.retention and settings.run_background:
        job = retention_job(settings, database, definition.written_topics())
        workers.append(
            asyncio.create_task(_supervise("retention", job.run, stop), name="retention")
        )
    for background in definition.background if settings.run_background else ():
        work = background.build(settings, database)
        if work is not None:
            workers.append(
                asyncio.create_task(_supervise(background.name, work, stop), name=background.name)
            )
    return workers


async def _stop_workers(
    workers: list[asyncio.Task[None]], stop: asyncio.Event, *, patience: float
) -> None:
    """Let workers finish the step they are in (a consumer commits the offsets of the events it
    applied); cancelling one in the middle of a database call can leave a SQLite connection that
    never closes. Cancel only the ones still busy after `patience` seconds."""
    stop.set()
    if not workers:
        return
    _done, hanging = await asyncio.wait(workers, timeout=patience)
    for worker in hanging:
        log.warning("worker.cancelled_at_stop", worker=worker.get_name())
        worker.cancel()
    for worker in hanging:
        with suppress(asyncio.CancelledError):
            await worker


async def _supervise(
    name: str, work: Callable[[asyncio.Event], Coroutine[Any, Any, None]], stop: asyncio.Event
) -> None:
    """Restart a worker that crashed, so one bad moment does not silence a consumer for good;
    after a pause that grows while it keeps crashing (a dependency that stays away)."""
    backoff = Backoff(max_seconds=10.0)
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        try:
            await work(stop)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if loop.time() - started >= CRASH_FORGOTTEN_AFTER_SECONDS:
                backoff.succeeded()
            outage = outage_of(exc)
            if outage is None:
                log.exception("worker.crashed", worker=name, error=repr(exc))
            else:
                log.warning("worker.waiting_for_dependency", worker=name, outage=outage)
            await backoff.wait(stop)
