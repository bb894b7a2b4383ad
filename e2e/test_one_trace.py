"""One invoice is one trace across the five services and the bus (issue 15 item 2).

On the SQL event log (the context in `bus_log.headers`) and on Kafka (in the record headers).
The caller (here the test, as GP or OCMW software with its own tracing would) sends a W3C
`traceparent` with each request of the walk; every service continues that trace, and every
event carries it on: outbox row → publish → the consumer in the next service → its outbox → …
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from opentelemetry import propagate
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from e2e.platform import Backend, running_platform
from e2e.walkthrough import Actors, walk_invoice_through
from servicekit.testing import TokenFactory

SERVICES = {"decision-registry", "consultation", "tariffing", "invoicing", "settlement"}
# The invoice's events, hop by hop: (producing service, topic, consuming service).
INVOICE_HOPS = [
    ("invoicing", "mediprima.invoices", "tariffing"),  # submitted, to be priced
    ("tariffing", "mediprima.pricing", "invoicing"),  # priced, to be adjudicated
    ("invoicing", "mediprima.invoices", "settlement"),  # paid, into the month's ledger
]


@pytest.mark.e2e
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sql", id="sqlite+sql-log"),
        pytest.param("kafka", id="kafka+postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
    ],
)
async def test_one_invoice_is_one_trace_across_the_five_services(
    backend: Backend, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    actors = Actors.fresh(tokens.headers)
    exporter = InMemorySpanExporter()
    caller = TracerProvider(resource=Resource.create({"service.name": "gp-software"}))
    caller.add_span_processor(SimpleSpanProcessor(exporter))

    async def send_trace_context(request: httpx.Request) -> None:
        propagate.inject(request.headers)

    async with running_platform(backend, tmp_path, tokens, span_exporter=exporter) as clients:
        for client in clients.values():
            client.event_hooks["request"].append(send_trace_context)
        with caller.get_tracer("e2e").start_as_current_span("walk one invoice") as walk:
            result = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())
            # A path and a query with the person's number: masked in the spans like in logs.
            search = await clients["decision-registry"].get(
                "/v1/decisions", params={"ssin": actors.ssin}, headers=actors.ocmw
            )
            assert search.status_code == 200

    trace_id = walk.get_span_context().trace_id
    spans = [span for span in exporter.get_finished_spans() if span.context.trace_id == trace_id]
    by_id = {span.context.span_id: span for span in spans}
    assert {service_of(span) for span in spans} >= SERVICES | {"gp-software"}

    # Every hop of the invoice: the consumer's span is the child of the producer's publish span,
    # which continues the outbox write of the request or event that caused it.
    for producer, topic, consumer in INVOICE_HOPS:
        hops = [
            span
            for span in spans
            if span.kind == SpanKind.CONSUMER
            and service_of(span) == consumer
            and span.name == f"{topic} process"
            and parent_of(span, by_id) is not None
            and service_of(parent_of(span, by_id)) == producer
        ]
        assert hops, (producer, topic, consumer)
        publish = parent_of(hops[0], by_id)
        assert publish is not None
        assert publish.kind == SpanKind.PRODUCER
        write = parent_of(publish, by_id)
        assert write is not None
        assert write.name == f"{topic} outbox write"
    # The submission's request span holds its database statements.
    submission = only(spans, "invoicing", "POST /v1/invoices")
    statements = [span for span in spans if parent_of(span, by_id) is submission]
    assert any(span.attributes and "db.statement" in span.attributes for span in statements)
    # Each service's spans descend from the caller's one span.
    for span in spans:
        assert root_of(span, by_id) is by_id[walk.get_span_context().span_id], span.name

    # No national number in any span of any trace; the masked form shows where it was.
    exported = json.dumps([span_text(span) for span in exporter.get_finished_spans()])
    assert actors.ssin not in exported
    assert "*******" + actors.ssin[-4:] in exported
    # The services' log lines name the trace they were written in.
    logged = [json.loads(line) for line in capfd.readouterr().out.splitlines() if line[:1] == "{"]
    adjudicated = [line for line in logged if line["event"] == "invoicing.invoice.adjudicated"]
    assert [line["invoice_id"] for line in adjudicated] == [result.invoice_id]
    assert adjudicated[0]["trace_id"] == format(trace_id, "032x")


def service_of(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def parent_of(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> ReadableSpan | None:
    return by_id.get(span.parent.span_id) if span.parent else None


def root_of(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> ReadableSpan:
    while (parent := parent_of(span, by_id)) is not None:
        span = parent
    return span


def only(spans: Sequence[ReadableSpan], service: str, name: str) -> ReadableSpan:
    [found] = [span for span in spans if service_of(span) == service and span.name == name]
    return found


def span_text(span: ReadableSpan) -> dict[str, object]:
    return {
        "name": span.name,
        "attributes": dict(span.attributes or {}),
        "events": [dict(event.attributes or {}) for event in span.events],
    }
