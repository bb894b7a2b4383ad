"""Consumer lag as `mediprima status` reports it, on both buses: records after the committed
offset of each group, summed over the topic's partitions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from servicekit.backlog import consumer_lag
from servicekit.bus.api import OutgoingRecord, Record
from servicekit.service import build_service_bus
from servicekit.settings import ServiceSettings
from servicekit.testing import KAFKA_ENV, required_env

BACKENDS = [
    pytest.param("sql", id="sql-log"),
    pytest.param("kafka", id="kafka", marks=pytest.mark.kafka),
]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_lag_counts_what_each_group_has_still_to_read(backend: str, tmp_path: Path) -> None:
    options: dict[str, Any] = {"var_dir": tmp_path, "topic_prefix": f"lag{uuid.uuid4().hex[:8]}."}
    if backend == "kafka":
        options |= {"bus": "kafka", "kafka_bootstrap_servers": required_env(KAFKA_ENV)}
    settings = ServiceSettings(**options)
    bus = build_service_bus(settings)
    await bus.start()
    try:
        await bus.create_topics(["mediprima.lagging"])
        await bus.publish(
            [OutgoingRecord("mediprima.lagging", f"key-{n}", b"{}") for n in range(5)]
        )
        subscription = bus.subscribe(group="reader", topics=["mediprima.lagging"])
        await subscription.start()
        records: list[Record] = []
        for _ in range(60):
            records += await subscription.fetch(timeout=1.0)
            if len(records) == 5:
                break
        # Handled the first record of one partition: the four others are still to read.
        first = sorted(records, key=lambda record: (record.partition, record.offset))[0]
        await subscription.commit(first)
        await subscription.close()

        lags = await consumer_lag(
            settings, [("reader", "mediprima.lagging"), ("newcomer", "mediprima.lagging")]
        )
    finally:
        await bus.close()

    assert len(records) == 5
    assert [(lag.group, lag.lag) for lag in lags] == [("reader", 4), ("newcomer", 5)]
