"""Tables of the SQL event log: the bus's own storage, shared by every service on the machine.

Offsets follow Kafka's meaning: a record's `offset` is its position in its partition, and a
group's `committed_offset` is the offset of the next record the group has still to process.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

_TOPIC = 249  # Kafka's limit, so a topic valid here is valid there too
_GROUP = 255

partitions = Table(
    "bus_partitions",
    metadata,
    Column("topic", String(_TOPIC), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False, default=0),
)

log = Table(
    "bus_log",
    metadata,
    Column("topic", String(_TOPIC), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, primary_key=True),
    Column("key", Text, nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("appended_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

group_offsets = Table(
    "bus_group_offsets",
    metadata,
    Column("group", String(_GROUP), primary_key=True),
    Column("topic", String(_TOPIC), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("committed_offset", BigInteger, nullable=False, default=0),
)

leases = Table(
    "bus_leases",
    metadata,
    Column("group", String(_GROUP), primary_key=True),
    Column("topic", String(_TOPIC), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("owner", String(_GROUP), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
)

members = Table(
    "bus_members",
    metadata,
    Column("group", String(_GROUP), primary_key=True),
    Column("member_id", String(_GROUP), primary_key=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
)
