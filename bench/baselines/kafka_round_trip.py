"""What the broker costs: aiokafka producing (idempotent, acks=all, as the bus does) and one
consumer group reading the same messages back, on a fresh topic of the run's broker."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.stats import percentile
from servicekit.bus.kafka_security import KafkaSecurity

PARTITIONS = 3
MESSAGE_BYTES = 1_500  # about an invoice event


@dataclass(frozen=True)
class RoundTrip:
    per_second: float  # flat out: all sent at once, read back by one group
    p95_ms: float  # at `paced_rate`: produce → consumed, one message at a time
    paced_rate: float


async def kafka_round_trip(bootstrap: str, *, count: int, paced_rate: float) -> RoundTrip:
    topic = f"bench-baseline-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **KafkaSecurity().client_options())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, PARTITIONS, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        **KafkaSecurity().client_options(),
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        **KafkaSecurity().client_options(),
        group_id=f"{topic}-reader",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await producer.start()
    await consumer.start()
    try:
        await _warm_up(producer, consumer, topic)
        per_second = await _flat_out(producer, consumer, topic, count)
        latencies = await _paced(producer, consumer, topic, paced_rate, round(paced_rate * 3))
    finally:
        await consumer.stop()
        await producer.stop()
        await _delete(bootstrap, topic)
    return RoundTrip(per_second, percentile(latencies, 95), paced_rate)


async def _delete(bootstrap: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **KafkaSecurity().client_options())
    await admin.start()
    try:
        await admin.delete_topics([topic])
    finally:
        await admin.close()


async def _warm_up(producer: AIOKafkaProducer, consumer: AIOKafkaConsumer, topic: str) -> None:
    """One message through each partition: leaders elected, the group joined, before timing."""
    for partition in range(PARTITIONS):
        await producer.send_and_wait(topic, b"warm-up", partition=partition)
    await _read(consumer, PARTITIONS)


async def _flat_out(
    producer: AIOKafkaProducer, consumer: AIOKafkaConsumer, topic: str, count: int
) -> float:
    padding = b"x" * MESSAGE_BYTES
    started = time.perf_counter()
    reading = asyncio.create_task(_read(consumer, count))
    deliveries = [
        await producer.send(topic, padding, key=str(index).encode()) for index in range(count)
    ]
    await asyncio.gather(*deliveries)
    await reading
    await consumer.commit()
    return count / (time.perf_counter() - started)


async def _paced(
    producer: AIOKafkaProducer, consumer: AIOKafkaConsumer, topic: str, rate: float, count: int
) -> list[float]:
    reading = asyncio.create_task(_read(consumer, count))
    started = time.perf_counter()
    for index in range(count):
        due = started + index / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        stamp = f"{time.perf_counter():.9f}".encode()
        await producer.send(topic, stamp.ljust(MESSAGE_BYTES), key=str(index).encode())
    return await reading


async def _read(consumer: AIOKafkaConsumer, count: int) -> list[float]:
    """Latency of each message whose value starts with its send time (perf_counter)."""
    latencies: list[float] = []
    seen = 0
    while seen < count:
        batches = await consumer.getmany(timeout_ms=1000, max_records=1000)
        now = time.perf_counter()
        for messages in batches.values():
            for message in messages:
                seen += 1
                stamp = (message.value or b"").split(b" ", 1)[0]
                if stamp[:1].isdigit():
                    latencies.append((now - float(stamp)) * 1000)
    return latencies
