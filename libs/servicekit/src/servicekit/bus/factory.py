"""Builds the configured bus; the only place that knows both backends."""

from __future__ import annotations

from typing import Literal

from servicekit.bus.api import EventBus
from servicekit.bus.kafka_security import KafkaSecurity


def build_bus(
    kind: Literal["sql", "kafka"],
    *,
    sql_url: str | None = None,
    bootstrap_servers: str | None = None,
    partitions: int = 3,
    client_id: str = "mediprima",
    kafka_security: KafkaSecurity | None = None,
    max_message_bytes: int = 1_048_576,
    busy_timeout: float = 30.0,
) -> EventBus:
    """The SQL event log (`sql_url`) or Kafka (`bootstrap_servers`), not yet started.

    Kafka authenticates as `kafka_security` says, by default as the MEDIPRIMA_KAFKA_* environment
    says (what `make test` sets up; nothing set: plaintext). A record over `max_message_bytes` is
    refused for good on both (Kafka: the producer's `max_request_size`; a broker may refuse less).
    `busy_timeout`: seconds an SQLite log's writer waits for the file's write lock.
    """
    if kind == "sql":
        if not sql_url:
            raise ValueError(
                "the sql bus needs sql_url (sqlite+aiosqlite:// or postgresql+asyncpg://)"
            )
        # Imported here so that each kind of deployment loads only its own driver.
        from servicekit.bus.sqllog import SqlLogBus

        return SqlLogBus(
            sql_url,
            partitions=partitions,
            client_id=client_id,
            max_message_bytes=max_message_bytes,
            busy_timeout=busy_timeout,
        )
    if kind == "kafka":
        if not bootstrap_servers:
            raise ValueError("the kafka bus needs bootstrap_servers (host:port,...)")
        from servicekit.bus.kafka import KafkaBus

        return KafkaBus(
            bootstrap_servers,
            partitions=partitions,
            client_id=client_id,
            security=kafka_security or KafkaSecurity(),
            max_request_size=max_message_bytes,
        )
    raise ValueError(f"unknown bus kind {kind!r}: 'sql' or 'kafka'")


def dead_letter_topic(group: str) -> str:
    """Where consumer group `group` parks events it cannot apply, with headers `error`,
    `original_topic`, `original_partition` and `original_offset`, for an operator to replay."""
    return f"mediprima.dead-letter.{group}"
