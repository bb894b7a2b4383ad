"""Helpers for tests: real databases per test, signed tokens, a service driven over HTTP."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from alembic import command
from opentelemetry.sdk.trace.export import SpanExporter
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import serialize_envelope
from servicekit import migrations
from servicekit.auth import Role
from servicekit.bus.api import EventBus, OutgoingRecord, Record
from servicekit.bus.factory import build_bus
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.db import Database, create_engine
from servicekit.localkeys import ensure_local_keys, mint_token
from servicekit.service import ServiceDefinition, create_app
from servicekit.settings import ServiceSettings

T = TypeVar("T")
DataT = TypeVar("DataT", bound=EventData)

POSTGRES_ENV = "MEDIPRIMA_TEST_POSTGRES_URL"
KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS"
KAFKA_CREDENTIALS_ENV = "MEDIPRIMA_KAFKA_CREDENTIALS_DIR"


def required_env(name: str) -> str:
    """The value of `name`; a missing one fails the test: `make test` always provides it."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set. Run the suite with `make test`, which starts Kafka and "
            "PostgreSQL, or export it to point at your own."
        )
    return value


def kafka_user(user: str) -> KafkaSecurity:
    """Kafka as `user` (a service's own user) of the broker `make test` started with SASL/SCRAM:
    its password is in MEDIPRIMA_KAFKA_CREDENTIALS_DIR (deploy/local/kafka.sh)."""
    password_file = Path(required_env(KAFKA_CREDENTIALS_ENV)) / f"{user}.password"
    admin = KafkaSecurity()
    return KafkaSecurity(
        security_protocol=admin.security_protocol,
        sasl_mechanism=admin.sasl_mechanism,
        sasl_username=user,
        sasl_password=SecretStr(password_file.read_text().strip()),
        ssl_cafile=admin.ssl_cafile,
    )


@dataclass(frozen=True)
class DatabaseRoles:
    """One test database reached as production reaches it: the owner migrates, the runtime role
    (row rights only, servicekit.dbroles) serves."""

    owner_url: str
    runtime_url: str

    @property
    def runtime_role(self) -> str:
        return str(make_url(self.runtime_url).username)


@asynccontextmanager
async def postgres_database(prefix: str = "t") -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test or fixture, dropped afterwards, reached
    as its own role: the owner of this database only, no superuser, and no other role may
    connect to it."""
    async with postgres_database_roles(prefix) as roles:
        yield roles.owner_url


@asynccontextmanager
async def postgres_database_roles(prefix: str = "t") -> AsyncIterator[DatabaseRoles]:
    """`postgres_database` with a second role as well, `<name>_app`, that may connect and owns
    nothing: what a service runs as once `migrate(..., runtime_role=)` has granted it its rights."""
    admin_url = make_url(required_env(POSTGRES_ENV))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    runtime = f"{name}_app"
    password = uuid.uuid4().hex
    admin = create_engine(str(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            for statement in (
                f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                f"PASSWORD '{password}'",
                f'CREATE ROLE "{runtime}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                f"PASSWORD '{password}'",
                f'CREATE DATABASE "{name}" OWNER "{name}"',
                f'REVOKE CONNECT, TEMPORARY ON DATABASE "{name}" FROM PUBLIC',
                f'GRANT CONNECT ON DATABASE "{name}" TO "{runtime}"',
            ):
                await connection.execute(text(statement))
        # no admin connection held meanwhile: one cut by a server restart would fail the drop
        await admin.dispose()
        database = admin_url.set(database=name, password=password)
        yield DatabaseRoles(
            owner_url=database.set(username=name).render_as_string(hide_password=False),
            runtime_url=database.set(username=runtime).render_as_string(hide_password=False),
        )
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'DROP ROLE IF EXISTS "{runtime}"'))
            await connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    finally:
        await admin.dispose()


@dataclass(frozen=True)
class TokenFactory:
    keys_dir: Path
    issuer: str = "mediprima-test-issuer"
    audience: str = "mediprima"

    @classmethod
    def create(cls, keys_dir: Path) -> TokenFactory:
        ensure_local_keys(keys_dir)
        return cls(keys_dir)

    @property
    def jwks_path(self) -> Path:
        return self.keys_dir / "jwks.json"

    def headers(self, role: Role, subject: str, **extra: str) -> dict[str, str]:
        token = mint_token(
            self.keys_dir, role=role, subject=subject, issuer=self.issuer, audience=self.audience
        )
        return {"Authorization": f"Bearer {token}", **extra}

    def settings_overrides(self) -> dict[str, Any]:
        return {
            "auth_jwks_path": self.jwks_path,
            "auth_issuer": self.issuer,
            "auth_audience": self.audience,
        }


async def migrate(
    definition: ServiceDefinition, database_url: str, *, runtime_role: str | None = None
) -> None:
    database = Database(database_url)
    try:
        await migrations.upgrade(
            database.engine,
            definition.migrations,
            runtime_role=runtime_role,
            append_only=definition.append_only,
        )
    finally:
        await database.dispose()


async def move_to_revision(
    definition: ServiceDefinition, database: Database, revision: str, *, down: bool = False
) -> None:
    """Upgrade (or downgrade) a test database to one of the service's revisions, e.g. to write
    rows the way an older release did before testing a migration on them."""

    def run(connection: Connection) -> None:
        config = migrations.alembic_config(definition.migrations, database.url)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    async with database.engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()


@asynccontextmanager
async def running_service(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    *,
    roles: DatabaseRoles | None = None,
    span_exporter: SpanExporter | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """The service's app, migrated and started (consumers and relay too), behind an HTTP client.

    With `roles`, it is migrated as the owner and runs as the runtime role, as in production;
    with `span_exporter`, traced into it."""
    from asgi_lifespan import LifespanManager

    if roles is None:
        await migrate(definition, settings.database_url)
    else:
        await migrate(definition, roles.owner_url, runtime_role=roles.runtime_role)
        settings = settings.model_copy(update={"database_url": roles.runtime_url})
    app = create_app(definition, settings, span_exporter=span_exporter)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url=f"http://{definition.name}"
        ) as client,
    ):
        yield client


def embedded_settings(
    definition: ServiceDefinition, workdir: Path, tokens: TokenFactory, **overrides: Any
) -> ServiceSettings:
    """Settings for one service on its own SQLite file (unless `database_url=` names another
    database, e.g. PostgreSQL) and an SQL event log in `workdir`."""
    settings: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{workdir / (definition.name + '.db')}",
        "bus": "sql",
        "bus_url": f"sqlite+aiosqlite:///{workdir / 'bus.db'}",
        "var_dir": workdir,
        **tokens.settings_overrides(),
        **overrides,
    }
    return definition.settings_class(**settings)


async def read_topic(
    bus: EventBus, topic: str, *, expected: int, patience: float = 5.0
) -> list[Record]:
    """What a fresh consumer group finds on `topic`: waits for `expected`, then a moment more."""
    subscription = bus.subscribe(group=f"test-reader-{uuid.uuid4().hex[:8]}", topics=[topic])
    await subscription.start()
    records: list[Record] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    try:
        while len(records) < expected and loop.time() < deadline:
            records += await subscription.fetch(timeout=0.2)
        records += await subscription.fetch(timeout=0.3)
    finally:
        await subscription.close()
    return records


def envelope(
    data: EventData, *, source: str = "upstream", occurred_at: datetime | None = None
) -> Envelope[Any]:
    """`data` as an upstream service would publish it."""
    return Envelope.wrap(
        data, source=source, correlation_id=uuid.uuid4().hex, occurred_at=occurred_at
    )


async def deliver(
    workdir: Path, *events: EventData | Envelope[Any], key: str | None = None
) -> None:
    """Publish `events` in order on the SQL event log the `client` service of `workdir` reads.

    `key` puts every record on one key (hence one partition), so they are applied in order.
    """
    envelopes = [item if isinstance(item, Envelope) else envelope(item) for item in events]
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish(
            [
                OutgoingRecord(item.topic, key or item.subject, serialize_envelope(item), {})
                for item in envelopes
            ]
        )
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, attempts: int = 80
) -> T:
    """Probe every 0.1 s until `done`; the last result either way, for the test to assert on."""
    result = await probe()
    for _ in range(attempts):
        if done(result):
            break
        await asyncio.sleep(0.1)
        result = await probe()
    return result


def revised(data: DataT, **changes: Any) -> DataT:
    """A validated copy of an event's data with `changes` (e.g. the next version of a decision)."""
    return type(data).model_validate({**data.model_dump(), **changes})
