"""The event bus seen by services: one interface, a Kafka backend and an SQL event-log backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class BusError(Exception):
    """Base of the errors the bus raises itself (a backend's own errors may also pass through)."""


class BusUnavailableError(BusError):
    """The broker or the event-log database cannot be reached."""


class RecordRefusedError(BusError):
    """The bus will never take a record of the batch (e.g. larger than its message limit), so
    publishing it again cannot help; any other error may pass once the bus is back.

    The message says why without the record's content (it may hold personal data).
    """


class UnknownTopicError(BusError):
    """A record was published to a topic nobody created: `create_topics` first, at start."""


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    topic: str
    key: str
    value: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str
    value: bytes
    headers: Mapping[str, str]


class Subscription(Protocol):
    """A member of a consumer group.

    Records of one key arrive in order; delivery is at least once.
    """

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def fetch(self, *, max_records: int = 100, timeout: float = 1.0) -> list[Record]:
        """Next records of the partitions this member owns; empty after `timeout` seconds."""
        ...

    def lag(self) -> dict[str, int]:
        """Per topic, the records in the partitions this member holds that it has not fetched
        yet, as of its last fetch: what the group still has to read here (no I/O)."""
        ...

    async def commit(self, *records: Record) -> None:
        """Mark each record and everything before it in its partition as done for the group.

        Several records (of different partitions) are committed in one round trip.

        Never moves the group's offset backwards. A member that lost the partition to another
        member (rebalance, missed heartbeats) cannot commit: the call logs `bus.commit_fenced` and
        returns, and the new owner receives the record again (at least once; inboxes drop it).
        """
        ...


class EventBus(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def create_topics(self, topics: Sequence[str]) -> None:
        """Create missing topics with the configured partition count."""
        ...

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Durably append records (all replicas acknowledged); order is kept per key.

        Raises `RecordRefusedError` when the bus refuses a record for good.
        """
        ...

    def subscribe(self, *, group: str, topics: Sequence[str]) -> Subscription: ...

    async def ping(self) -> None:
        """Raise when the bus cannot be reached (used by /ready)."""
        ...
