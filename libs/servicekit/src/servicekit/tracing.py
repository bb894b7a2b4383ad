"""OpenTelemetry traces across the services, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.

One invoice is one trace: the HTTP request that wrote an event puts its W3C trace context
(`traceparent`) in the outbox row's headers, the relay's publish span continues from there and
hands its own context on in the record's headers (Kafka headers, or the SQL event log's
`headers` column), and the consumer's span continues from those; what the handler writes to
its outbox carries the trace on.

Off (no endpoint), nothing is instrumented and the hot path pays one boolean test per outbox
write and per log line, and one shared no-op context per consumed event. On, spans leave
through `MaskingExporter`: like log lines, no national register number reaches them in clear
(a path or query, an exception text).

Each service has its own `TracerProvider` (its `service.name`), so five services in one test
process still show as five; spans of code that knows no service (an outbox write) use the
provider of the request or event at hand (`_SERVICE_TRACER`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

import structlog
from fastapi import FastAPI
from opentelemetry import propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from servicekit.bus.api import OutgoingRecord, Record
from servicekit.db import Database
from servicekit.privacy import masked

_enabled = False
"""True once any service of this process traces: until then outbox writes skip all of this."""
_SERVICE_TRACER: ContextVar[Tracer | None] = ContextVar("servicekit_service_tracer", default=None)
_NOT_TRACED = "health,ready,metrics"
_UNTRACED: AbstractContextManager[None] = nullcontext()


class Tracing:
    def __init__(self, service: str, provider: TracerProvider | None) -> None:
        self.service = service
        self._provider = provider
        self._tracer = provider.get_tracer("servicekit") if provider else None

    @classmethod
    def off(cls, service: str) -> Tracing:
        return cls(service, None)

    @classmethod
    def build(
        cls, service: str, *, endpoint: str | None, exporter: SpanExporter | None = None
    ) -> Tracing:
        """Spans to the OTLP/HTTP `endpoint` (its `/v1/traces`), and to `exporter` if given
        (tests: an in-memory one, every span as it ends); neither: off."""
        if not endpoint and exporter is None:
            return cls.off(service)
        global _enabled
        _enabled = True
        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            otlp = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
            provider.add_span_processor(BatchSpanProcessor(MaskingExporter(otlp)))
        if exporter is not None:
            provider.add_span_processor(SimpleSpanProcessor(MaskingExporter(exporter)))
        return cls(service, provider)

    @property
    def enabled(self) -> bool:
        return self._provider is not None

    def instrument_app(self, app: FastAPI) -> None:
        if self._provider is None:
            return
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self._provider,
            excluded_urls=_NOT_TRACED,
            exclude_spans=["receive", "send"],
            server_request_hook=self._on_request,
        )

    def instrument_database(self, database: Database) -> None:
        """A span per statement on the service's engines. `EngineTracer` rather than
        `SQLAlchemyInstrumentor`: that one instruments once per process and patches every
        engine created after it, the bus's and other services' included."""
        if self._tracer is None:
            return
        unused = NoOpMeter("servicekit").create_up_down_counter("db.client.connections.usage")
        for engine in database.engines:
            EngineTracer(self._tracer, engine.sync_engine, unused)  # type: ignore[no-untyped-call]

    def _on_request(self, _span: Any, _scope: Mapping[str, Any]) -> None:
        _SERVICE_TRACER.set(self._tracer)

    def consuming(self, record: Record, *, group: str) -> AbstractContextManager[None]:
        """The span of one event's handling, a child of the publish span that sent it."""
        if self._tracer is None:
            return _UNTRACED
        return self._consuming(self._tracer, record, group)

    @contextmanager
    def _consuming(self, tracer: Tracer, record: Record, group: str) -> Iterator[None]:
        token = _SERVICE_TRACER.set(tracer)
        try:
            with tracer.start_as_current_span(
                f"{record.topic} process",
                context=propagate.extract(record.headers),
                kind=SpanKind.CONSUMER,
                attributes={
                    **_messaging_attributes("process", record.topic, record.headers),
                    "messaging.destination.partition.id": str(record.partition),
                    "messaging.kafka.offset": record.offset,
                    "messaging.consumer.group.name": group,
                },
            ):
                yield
        finally:
            _SERVICE_TRACER.reset(token)

    @contextmanager
    def publishing(self, records: Sequence[OutgoingRecord]) -> Iterator[list[OutgoingRecord]]:
        """One producer span per record, each continuing the trace its outbox row stored; the
        records yielded carry the span's own context on to the consumers."""
        if self._tracer is None:
            yield list(records)
            return
        spans = [
            self._tracer.start_span(
                f"{record.topic} publish",
                context=propagate.extract(record.headers),
                kind=SpanKind.PRODUCER,
                attributes=_messaging_attributes("send", record.topic, record.headers),
            )
            for record in records
        ]
        traced = []
        for record, span in zip(records, spans, strict=True):
            headers = dict(record.headers)
            propagate.inject(headers, context=trace.set_span_in_context(span))
            traced.append(replace(record, headers=headers))
        try:
            yield traced
        except BaseException as exc:
            for span in spans:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            for span in spans:
                span.end()

    def shutdown(self) -> None:
        if self._provider is not None:
            self._provider.shutdown()


def _messaging_attributes(
    operation: str, topic: str, headers: Mapping[str, str]
) -> dict[str, str | int]:
    """What every publish and process span says about its event."""
    return {
        "messaging.system": "mediprima",
        "messaging.operation.type": operation,
        "messaging.destination.name": topic,
        "messaging.message.id": headers.get("event_id", ""),
        "mediprima.event_type": headers.get("event_type", ""),
    }


def mark_outbox_write(headers: dict[str, str], *, topic: str, event_type: str) -> None:
    """Stores the trace context in an outbox row's headers, under a short `outbox write` span
    when the service is known, so the relay's publish continues this trace."""
    if not _enabled:
        return
    tracer = _SERVICE_TRACER.get()
    if tracer is None:
        propagate.inject(headers)
        return
    with tracer.start_as_current_span(
        f"{topic} outbox write",
        kind=SpanKind.INTERNAL,
        attributes={
            "messaging.destination.name": topic,
            "messaging.message.id": headers.get("event_id", ""),
            "mediprima.event_type": event_type,
        },
    ):
        propagate.inject(headers)


def current_trace_ids(
    _logger: object, _name: str, event: structlog.types.EventDict
) -> structlog.types.EventDict:
    """structlog processor: the trace and span of the log line, while tracing is on. Always in
    the chain, since loggers keep the chain they first logged with (structlog's cache)."""
    if not _enabled:
        return event
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032x")
        event["span_id"] = format(context.span_id, "016x")
    return event


class MaskingExporter(SpanExporter):
    """Exports spans with every national register number masked (`servicekit.privacy`): in
    names, attributes and events (exception texts), whatever instrumentation wrote them."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([_masked_span(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


def _masked_span(span: ReadableSpan) -> ReadableSpan:
    return ReadableSpan(
        name=masked(span.name),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=masked(dict(span.attributes or {})),
        events=[
            Event(event.name, masked(dict(event.attributes or {})), event.timestamp)
            for event in span.events
        ],
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )
