"""Tracing is switched on by `OTEL_EXPORTER_OTLP_ENDPOINT` alone; without it nothing is traced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from sqlalchemy import select

from mediprima_contracts.testing import decision_request_body, random_enterprise_number, random_ssin
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.messaging.tables import outbox
from servicekit.registry import load_service
from servicekit.testing import TokenFactory, embedded_settings, running_service


class Collector:
    """An OTLP/HTTP trace receiver: what arrives on POST /v1/traces, decoded."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str]] = []  # (service.name, span name)
        self.paths: list[str] = []
        collector = self

        class Receive(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                collector.received(self.path, body)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Receive)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def received(self, path: str, body: bytes) -> None:
        self.paths.append(path)
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            service = next(
                attribute.value.string_value
                for attribute in resource_spans.resource.attributes
                if attribute.key == "service.name"
            )
            for scope_spans in resource_spans.scope_spans:
                self.spans.extend((service, span.name) for span in scope_spans.spans)


@pytest.fixture
def collector() -> Iterator[Collector]:
    found = Collector()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


async def register_a_decision(
    tmp_path: Path, tokens: TokenFactory, **settings: Any
) -> list[dict[str, str]]:
    """POST one decision; returns the headers its outbox row stored."""
    definition = load_service("decision-registry")
    service_settings = embedded_settings(definition, tmp_path, tokens, **settings)
    ocmw = random_enterprise_number()
    today = datetime.now(UTC).date()
    async with running_service(definition, service_settings) as client:
        response = await client.post(
            "/v1/decisions",
            json=decision_request_body(today=today, ssin=random_ssin(), ocmw=ocmw),
            headers=tokens.headers(Role.OCMW, ocmw),
        )
        assert response.status_code == 201, response.text
    database = Database(service_settings.database_url)
    try:
        async with database.reading() as session:
            return list((await session.execute(select(outbox.c.headers))).scalars())
    finally:
        await database.dispose()


async def test_the_otlp_endpoint_switches_tracing_on(
    tmp_path: Path, collector: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint)
    tokens = TokenFactory.create(tmp_path / "keys")

    headers = await register_a_decision(tmp_path, tokens)

    # The service's stop flushed its spans to the collector.
    assert set(collector.paths) == {"/v1/traces"}
    spans = set(collector.spans)
    assert ("decision-registry", "POST /v1/decisions") in spans
    assert ("decision-registry", "mediprima.decisions outbox write") in spans
    assert all(row["traceparent"].startswith("00-") for row in headers)


async def test_without_an_endpoint_nothing_is_traced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    tokens = TokenFactory.create(tmp_path / "keys")

    headers = await register_a_decision(tmp_path, tokens)

    assert headers
    assert all("traceparent" not in row for row in headers)
