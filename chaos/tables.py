"""The few reads the checks make straight from the services' databases, as the PostgreSQL
superuser (row-level security does not hide rows from it): the decision versions of the
registry and of consultation's and tariffing's read models, and settlement's ledger and OCMW
directory (no service's API lists its read model); and the dead-letter topics' sizes."""

from __future__ import annotations

import json
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.stack.setups import Setup
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.db import create_engine

Versions = dict[tuple[str, int], dict[str, Any]]

REGISTRY = """SELECT d.decision_number, v.version, v.snapshot
FROM decision_versions v JOIN decisions d ON d.id = v.decision_id"""
READ_MODEL = "SELECT decision_number, version, snapshot FROM decision_versions"
LEDGER = "SELECT DISTINCT decision_number, version FROM ledger_lines"
DIRECTORY = "SELECT enterprise_number FROM ocmw_directory"
DEAD_LETTER_TOPICS = "mediprima.dead-letter."


async def rows(admin_url: str, service_url: str, query: str) -> list[Any]:
    """`query` on the database of `service_url`, connected with `admin_url`'s user."""
    database = make_url(service_url).database
    url = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(text(query)))
    finally:
        await engine.dispose()


async def versions(admin_url: str, service_url: str, query: str) -> Versions:
    return {
        (str(number), int(version)): json.loads(snapshot) if isinstance(snapshot, str) else snapshot
        for number, version, snapshot in await rows(admin_url, service_url, query)
    }


async def dead_letters(setup: Setup) -> dict[str, int]:
    """Events on each dead-letter topic of the run: a valid event there was given up on."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=setup.kafka_bootstrap_servers, **KafkaSecurity().client_options()
    )
    await consumer.start()
    try:
        topics = [
            topic
            for topic in await consumer.topics()
            if topic.startswith(setup.topic_prefix + DEAD_LETTER_TOPICS)
        ]
        counts = {}
        for topic in topics:
            partitions = [
                TopicPartition(topic, number)
                for number in consumer.partitions_for_topic(topic) or ()
            ]
            ends = await consumer.end_offsets(partitions)
            starts = await consumer.beginning_offsets(partitions)
            counts[topic] = sum(ends[part] - starts[part] for part in partitions)
        return {topic: count for topic, count in counts.items() if count}
    finally:
        await consumer.stop()
