"""Outbox, inbox and dead-letter tables, present in every service's own database."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from servicekit.db import new_metadata

metadata = new_metadata()

outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True, index=True),
    # Set when the bus refused the row for good (servicekit.messaging.relay): never published.
    Column("parked_at", DateTime(timezone=True), nullable=True, index=True),
    Column("park_reason", Text, nullable=True),
)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    # Indexed for retention (servicekit.retention), which deletes the old entries.
    Column("processed_at", DateTime(timezone=True), nullable=False, index=True),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("consumer_group", String(200), nullable=False),
    # Where the record was read: a redelivery of the same record finds its letter already there.
    Column("topic", String(249), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    # Empty for a record that is not a readable event.
    Column("event_id", String(36), nullable=True),
    Column("event_type", String(200), nullable=True),
    Column("key", Text, nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("error", Text, nullable=False),
    Column("dead_lettered_at", DateTime(timezone=True), nullable=False),
    Column("replay_attempts", Integer, nullable=False, default=0),
    # Empty while the letter waits for an operator (servicekit.deadletters).
    Column("replayed_at", DateTime(timezone=True), nullable=True, index=True),
    UniqueConstraint("consumer_group", "topic", "partition", "offset"),
)
