"""The two ways the platform runs: embedded (SQLite files and the SQL event log in a fresh
directory) and scaled out (fresh PostgreSQL databases and a fresh topic prefix on the Kafka
broker and PostgreSQL server `deploy/local/with-infra.sh` provides)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aiokafka.admin import AIOKafkaAdminClient

from servicekit import migrations
from servicekit.bus.kafka_acls import create_acls, service_acls, service_user
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.db import Database
from servicekit.registry import load_service, service_names
from servicekit.testing import KAFKA_CREDENTIALS_ENV, postgres_database

SetupName = Literal["embedded", "postgres+kafka"]
LABELS: dict[SetupName, str] = {
    "embedded": "SQLite + SQL event log",
    "postgres+kafka": "PostgreSQL + Kafka",
}


@dataclass(frozen=True)
class Setup:
    name: SetupName
    workdir: Path
    database_urls: dict[str, str]
    bus: Literal["sql", "kafka"]
    bus_url: str = ""
    kafka_bootstrap_servers: str = ""
    topic_prefix: str = ""
    kafka_credentials: Path | None = None
    """Where each service's Kafka password is (`<user>.password`); None: a plaintext broker."""

    @property
    def label(self) -> str:
        return LABELS[self.name]

    def service_env(self, name: str) -> dict[str, str]:
        """The settings of service `name` in this setup, as `MEDIPRIMA_*` variables."""
        env = {
            "MEDIPRIMA_DATABASE_URL": self.database_urls[name],
            "MEDIPRIMA_BUS": self.bus,
            "MEDIPRIMA_VAR_DIR": str(self.workdir),
        }
        if self.bus == "sql":
            env["MEDIPRIMA_BUS_URL"] = self.bus_url
        else:
            env["MEDIPRIMA_KAFKA_BOOTSTRAP_SERVERS"] = self.kafka_bootstrap_servers
            env["MEDIPRIMA_TOPIC_PREFIX"] = self.topic_prefix
            if self.kafka_credentials is not None:
                env |= _kafka_user_env(name, self.kafka_credentials)
        return env


def _kafka_user_env(name: str, credentials: Path) -> dict[str, str]:
    """Service `name` logs in to Kafka as its own user, as in production."""
    user = service_user(load_service(name))
    admin = KafkaSecurity()
    return {
        "MEDIPRIMA_KAFKA_SECURITY_PROTOCOL": admin.security_protocol,
        "MEDIPRIMA_KAFKA_SASL_MECHANISM": admin.sasl_mechanism,
        "MEDIPRIMA_KAFKA_SASL_USERNAME": user,
        "MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE": str(credentials / f"{user}.password"),
    }


def embedded(workdir: Path) -> Setup:
    workdir.mkdir(parents=True, exist_ok=True)
    return Setup(
        name="embedded",
        workdir=workdir,
        database_urls={
            name: f"sqlite+aiosqlite:///{workdir / (name.replace('-', '_') + '.db')}"
            for name in service_names()
        },
        bus="sql",
        bus_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}",
    )


@asynccontextmanager
async def postgres_kafka(workdir: Path, *, kafka_bootstrap_servers: str) -> AsyncIterator[Setup]:
    """Fresh databases on the provisioned server (dropped afterwards) and a fresh topic prefix;
    on a broker with users (`make bench`'s), each service its own user with only its ACLs."""
    workdir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before any load
    run = uuid.uuid4().hex[:8]
    prefix = f"bench{run}."
    credentials = os.environ.get(KAFKA_CREDENTIALS_ENV)
    if credentials:
        for name in service_names():
            acls = service_acls(load_service(name), topic_prefix=prefix)
            await create_acls(kafka_bootstrap_servers, KafkaSecurity(), acls)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(_delete_topics, kafka_bootstrap_servers, prefix)
        urls = {
            name: await stack.enter_async_context(
                postgres_database(f"bench_{run}_{name.replace('-', '_')}")
            )
            for name in service_names()
        }
        yield Setup(
            name="postgres+kafka",
            workdir=workdir,
            database_urls=urls,
            bus="kafka",
            kafka_bootstrap_servers=kafka_bootstrap_servers,
            topic_prefix=prefix,
            kafka_credentials=Path(credentials) if credentials else None,
        )


async def _delete_topics(bootstrap_servers: str, prefix: str) -> None:
    """The run's topics: a broker given by KAFKA_BOOTSTRAP_SERVERS is left as it was found."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers, **KafkaSecurity().client_options()
    )
    await admin.start()
    try:
        topics = [topic for topic in await admin.list_topics() if topic.startswith(prefix)]
        if topics:
            await admin.delete_topics(topics)
    finally:
        await admin.close()


async def migrate_all(setup: Setup) -> None:
    """Every service's Alembic migrations, one after the other (Alembic's context is global)."""
    for name, url in setup.database_urls.items():
        await migrate_database(name, url)


async def migrate_database(name: str, url: str) -> None:
    database = Database(url)
    try:
        await migrations.upgrade(database.engine, load_service(name).migrations)
    finally:
        await database.dispose()
