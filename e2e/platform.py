"""The five services started in-process on either backend, for end-to-end tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import httpx
from opentelemetry.sdk.trace.export import SpanExporter

from servicekit.registry import load_service, service_names
from servicekit.testing import (
    KAFKA_ENV,
    DatabaseRoles,
    TokenFactory,
    postgres_database_roles,
    required_env,
    running_service,
)

Backend = Literal["sql", "kafka"]


@asynccontextmanager
async def running_platform(
    backend: Backend,
    workdir: Path,
    tokens: TokenFactory,
    settings: dict[str, dict[str, Any]] | None = None,
    span_exporter: SpanExporter | None = None,
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Every service with its own database; all on one SQL event log or one Kafka broker.

    `settings` holds per-service settings on top of the shared ones (e.g. a payment schedule);
    `span_exporter`, when given, receives every service's spans (tracing on).
    """
    async with AsyncExitStack() as stack:
        shared: dict[str, Any] = {**tokens.settings_overrides(), "var_dir": workdir}
        if backend == "sql":
            shared |= {"bus": "sql", "bus_url": f"sqlite+aiosqlite:///{workdir / 'bus.db'}"}
        else:
            shared |= {
                "bus": "kafka",
                "kafka_bootstrap_servers": required_env(KAFKA_ENV),
                "topic_prefix": f"e2e{uuid.uuid4().hex[:8]}.",
            }
        clients = {}
        for name in service_names():
            definition = load_service(name)
            roles: DatabaseRoles | None = None
            if backend == "sql":
                database_url = f"sqlite+aiosqlite:///{workdir / (name + '.db')}"
            else:
                # Migrated by the owner, served by the runtime role, as in production.
                roles = await stack.enter_async_context(postgres_database_roles(name[:8]))
                database_url = roles.runtime_url
            own = (settings or {}).get(name, {})
            service_settings = definition.settings_class(
                database_url=database_url, **(shared | own)
            )
            clients[name] = await stack.enter_async_context(
                running_service(
                    definition, service_settings, roles=roles, span_exporter=span_exporter
                )
            )
        yield clients
