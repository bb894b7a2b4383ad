"""Alembic plumbing shared by every service: async-aware env, programmatic upgrade, tables."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.db import create_engine
from servicekit.dbroles import grant_runtime
from servicekit.messaging.tables import metadata as messaging_metadata
from servicekit.scheduling import metadata as scheduling_metadata

_LOCK = 0x6D69677261  # any constant shared by every replica of every service


def run_env(service_metadata: MetaData) -> None:
    """Body of every service's `migrations/env.py`."""
    config = context.config
    targets = [service_metadata, messaging_metadata, scheduling_metadata]
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, targets)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: run migrations through `mediprima migrate`")
    asyncio.run(_run_with_new_engine(url, targets))


def _run(connection: Connection, targets: list[MetaData]) -> None:
    context.configure(
        connection=connection,
        target_metadata=targets,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str, targets: list[MetaData]) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run, targets)
            await connection.commit()
    finally:
        await engine.dispose()


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(
    engine: AsyncEngine,
    script_location: Path,
    *,
    runtime_role: str | None = None,
    append_only: Collection[str] = (),
) -> None:
    """Migrate the database behind `engine` to head (used at start-up and by tests); with a
    `runtime_role`, then give that role the rights a running service needs (servicekit.dbroles),
    in the same transaction."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config(script_location, str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if runtime_role:
            grant_runtime(connection, runtime_role, append_only)

    async with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Replicas of one service may start together; one migrates, the others wait.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        await connection.run_sync(_upgrade)
        await connection.commit()


def create_messaging_tables_v1() -> None:
    """The outbox and inbox as first created; called from each service's first migration."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )


def add_outbox_parking_v2() -> None:
    """Parked outbox rows (`servicekit.messaging.parking`); nothing parked so far."""
    op.add_column("outbox", sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("outbox", sa.Column("park_reason", sa.Text, nullable=True))
    op.create_index("ix_outbox_parked_at", "outbox", ["parked_at"])


def drop_outbox_parking_v2() -> None:
    """A parked row becomes a pending one again: the relay goes back to retrying it."""
    op.drop_index("ix_outbox_parked_at", "outbox")
    op.drop_column("outbox", "park_reason")
    op.drop_column("outbox", "parked_at")


def create_dead_letters_table_v3() -> None:
    """Dead letters kept in the service's own database (`servicekit.deadletters`)."""
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("consumer_group", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(249), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=True),
        sa.Column("event_type", sa.String(200), nullable=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("dead_lettered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replay_attempts", sa.Integer, nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
        sa.UniqueConstraint(
            "consumer_group",
            "topic",
            "partition",
            "offset",
            name="uq_dead_letters_consumer_group_topic_partition_offset",
        ),
    )
    op.create_index("ix_dead_letters_replayed_at", "dead_letters", ["replayed_at"])
    # Retention deletes by these; without an index each prune reads the whole table.
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def drop_dead_letters_table_v3() -> None:
    op.drop_index("ix_inbox_processed_at", "inbox")
    op.drop_index("ix_dead_letters_replayed_at", "dead_letters")
    op.drop_table("dead_letters")
