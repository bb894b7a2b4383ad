"""The scale-out event bus: Apache Kafka through aiokafka.

The producer is idempotent with `acks="all"`, so a retried send is neither lost nor duplicated
and order within a partition survives retries. Consumers commit by hand, after the service's
own database commit, which gives at least once delivery with the inbox dropping repeats.

Settings that fit how the services use it (issue 12):
- The outbox relay hands the producer a batch of up to 200 events at once and waits for all of
  them. `linger_ms=5` lets the producer fill one request per partition with that batch instead
  of sending its first event alone; `max_batch_size` of 256 KiB (16 KiB by default, about ten
  priced invoices) keeps a relay batch in one or two requests per partition.
- Consumers fetch up to `EventConsumer`'s batch size (100) per call and apply them in one
  transaction; `fetch_min_bytes=1` (the default) answers as soon as anything is there, so
  batching adds no waiting, and `fetch_max_wait_ms` (500) only bounds an idle long poll.
  Offsets of every partition of a batch go in one commit request.

A record over the message limit is refused for good (`RecordRefusedError`): by the producer's
`max_request_size` (Kafka's 1 MiB default) before anything of the batch is sent, or by the broker
(`message.max.bytes`, a topic's `max.message.bytes`) after. A broker's refusal leaves the
idempotent producer's sequence numbers ahead of what the broker stored (aiokafka does not wind
them back), so every later send to that partition would fail; the producer is replaced then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaClient, AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    CommitFailedError,
    IllegalStateError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    TopicAlreadyExistsError,
    for_code,
)
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from aiokafka.structs import OffsetAndMetadata, TopicPartition

from servicekit.bus.api import BusUnavailableError, OutgoingRecord, Record, RecordRefusedError
from servicekit.bus.kafka_security import KafkaSecurity

log = structlog.get_logger()
REFUSED_FOR_GOOD = (MessageSizeTooLargeError, RecordListTooLargeError)
"""Broker answers about the records themselves; anything else may pass on a later try."""


class KafkaBus:
    """An `EventBus` on a Kafka cluster. `api_version` stays on auto: aiokafka negotiates.

    Every client it makes (producer, consumers, admin, ping) authenticates as `security` says;
    none given: plaintext, no authentication (a developer's broker).
    """

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        partitions: int = 3,
        replication_factor: int = 1,
        client_id: str = "mediprima",
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 3_000,
        ping_timeout: float = 5.0,
        security: KafkaSecurity | None = None,
        max_request_size: int = 1_048_576,
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._security = security or KafkaSecurity(security_protocol="PLAINTEXT")
        self._max_request_size = max_request_size
        self._partitions = partitions
        self._replication_factor = replication_factor
        self._client_id = client_id
        self._consumer_options: dict[str, Any] = {
            "session_timeout_ms": session_timeout_ms,
            "heartbeat_interval_ms": heartbeat_interval_ms,
        }
        self._ping_timeout = ping_timeout
        self._producer: AIOKafkaProducer | None = None
        self._open = False
        self._subscriptions: set[KafkaSubscription] = set()

    async def start(self) -> None:
        self._producer = await self._started_producer()
        self._open = True

    async def _started_producer(self) -> AIOKafkaProducer:
        producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            max_batch_size=256 * 1024,
            **self._security.client_options(),
            max_request_size=self._max_request_size,
        )
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        return producer

    async def close(self) -> None:
        self._open = False
        for subscription in list(self._subscriptions):
            await subscription.close()
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def create_topics(self, topics: Sequence[str]) -> None:
        """Create missing topics; existing ones (maybe made by another service) are left alone."""
        new_topics = [
            NewTopic(
                name=topic,
                num_partitions=self._partitions,
                replication_factor=self._replication_factor,
            )
            for topic in dict.fromkeys(topics)
        ]
        if not new_topics:
            return
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            **self._security.client_options(),
        )
        await admin.start()
        try:
            response = await admin.create_topics(new_topics)
        finally:
            await admin.close()
        for topic, code, *_ in response.topic_errors:
            if code and code != TopicAlreadyExistsError.errno:
                raise for_code(code)(f"cannot create topic {topic}")

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Send the batch in order and wait until every record is acknowledged by all replicas.

        Unlike the SQL log this is not all-or-nothing: a failure part way leaves the records
        before it delivered. The outbox relay then publishes the batch again and consumers' inboxes
        drop the repeats. A record over `max_request_size` is refused before any is sent.
        """
        producer = await self._require_producer()
        for record in records:
            self._refuse_if_too_large(record)
        deliveries: list[asyncio.Future[Any]] = []
        try:
            for record in records:
                deliveries.append(
                    await producer.send(
                        record.topic,
                        record.value,
                        key=record.key.encode(),
                        headers=[(name, value.encode()) for name, value in record.headers.items()],
                    )
                )
        finally:
            outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        refused = [failure for failure in failures if isinstance(failure, REFUSED_FOR_GOOD)]
        if refused:
            await self._replace_producer()
            raise RecordRefusedError(f"the broker refused a record: {refused[0]}") from refused[0]
        if failures:
            raise failures[0]

    def _refuse_if_too_large(self, record: OutgoingRecord) -> None:
        size = DefaultRecordBatchBuilder.estimate_size_in_bytes(
            record.key.encode(),
            record.value,
            [(name, value.encode()) for name, value in record.headers.items()],
        )
        if size > self._max_request_size:
            raise RecordRefusedError(
                f"a record of {size} bytes is over the producer's max_request_size of "
                f"{self._max_request_size} bytes"
            )

    async def _replace_producer(self) -> None:
        """The next publish starts a new producer (a new producer id, sequences from zero)."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    def subscribe(self, *, group: str, topics: Sequence[str]) -> KafkaSubscription:
        subscription = KafkaSubscription(
            AIOKafkaConsumer(
                *dict.fromkeys(topics),
                bootstrap_servers=self._bootstrap_servers,
                client_id=self._client_id,
                group_id=group,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                **self._consumer_options,
                **self._security.client_options(),
            ),
            group=group,
            on_close=self._subscriptions.discard,
        )
        self._subscriptions.add(subscription)
        return subscription

    async def ping(self) -> None:
        """Fetch cluster metadata: through the producer once started, else a throwaway client."""
        try:
            async with asyncio.timeout(self._ping_timeout):
                if self._producer is not None:
                    await self._producer.client.fetch_all_metadata()
                    return
                client = AIOKafkaClient(
                    bootstrap_servers=self._bootstrap_servers,
                    client_id=self._client_id,
                    **self._security.client_options(),
                )
                try:
                    await client.bootstrap()
                finally:
                    await client.close()
        except Exception as exc:
            raise BusUnavailableError(f"Kafka unreachable: {exc!r}") from exc

    async def _require_producer(self) -> AIOKafkaProducer:
        if not self._open:
            raise RuntimeError("KafkaBus.start() must be awaited before publishing")
        if self._producer is None:
            self._producer = await self._started_producer()
        return self._producer


class KafkaSubscription:
    """A consumer-group member; Kafka's coordinator assigns its partitions."""

    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        *,
        group: str,
        on_close: Callable[[KafkaSubscription], None],
    ) -> None:
        self._consumer = consumer
        self._group = group
        self._on_close = on_close
        self._committed: dict[TopicPartition, int] = {}
        self._fetched_up_to: dict[TopicPartition, int] = {}
        self._started = False

    async def start(self) -> None:
        await self._consumer.start()
        self._started = True

    async def close(self) -> None:
        if not self._started:
            return
        self._started = False
        self._on_close(self)
        await self._consumer.stop()

    def assignment(self) -> frozenset[tuple[str, int]]:
        """The (topic, partition) pairs the group coordinator gave this member."""
        return frozenset((tp.topic, tp.partition) for tp in self._consumer.assignment())

    async def fetch(self, *, max_records: int = 100, timeout: float = 1.0) -> list[Record]:
        batches = await self._consumer.getmany(
            timeout_ms=int(timeout * 1000), max_records=max_records
        )
        for partition, messages in batches.items():
            if messages:
                self._fetched_up_to[partition] = messages[-1].offset + 1
        return [
            Record(
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                key=(message.key or b"").decode(),
                value=message.value or b"",
                headers={name: (value or b"").decode() for name, value in message.headers},
            )
            for messages in batches.values()
            for message in messages
        ]

    def lag(self) -> dict[str, int]:
        behind: dict[str, int] = {}
        for partition in self._consumer.assignment():
            highwater = self._consumer.highwater(partition)
            start = self._fetched_up_to.get(partition, self._committed.get(partition))
            if highwater is None or start is None:
                continue  # nothing fetched from it yet: its lag shows after the first fetch
            behind[partition.topic] = behind.get(partition.topic, 0) + max(0, highwater - start)
        return behind

    async def commit(self, *records: Record) -> None:
        ahead: dict[TopicPartition, int] = {}
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            ahead[partition] = max(ahead.get(partition, -1), record.offset + 1)
        # Kafka would move an offset back and replay; the interface never does.
        offsets = {
            partition: OffsetAndMetadata(next_offset, "")
            for partition, next_offset in ahead.items()
            if next_offset > self._committed.get(partition, -1)
        }
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError):
            for partition, offset in offsets.items():
                log.warning(
                    "bus.commit_fenced",
                    group=self._group,
                    topic=partition.topic,
                    partition=partition.partition,
                    offset=offset.offset - 1,
                )
            return
        for partition, offset in offsets.items():
            self._committed[partition] = offset.offset
