"""One behaviour battery for every bus backend: what a service may rely on, whichever runs.

SQLite and PostgreSQL run the SQL event log; Kafka runs on the real broker. Tests that only make
sense for one backend say why.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from servicekit.bus.api import (
    BusUnavailableError,
    OutgoingRecord,
    Record,
    Subscription,
    UnknownTopicError,
)
from servicekit.bus.factory import build_bus, dead_letter_topic
from servicekit.bus.kafka import KafkaBus
from servicekit.bus.sqlgroup import fair_share
from servicekit.bus.sqllog import SqlLogBus, partition_for

from .support import (
    ALL_BACKENDS,
    SQL_BACKENDS,
    Backend,
    BusMaker,
    TestBus,
    assignment,
    drain,
    make_test_bus,
    nothing_more,
    started,
    unique,
    wait_until,
)

all_backends = pytest.mark.parametrize("backend", ALL_BACKENDS)
sql_backends = pytest.mark.parametrize("backend", SQL_BACKENDS)


def event(topic: str, key: str, body: str, **headers: str) -> OutgoingRecord:
    return OutgoingRecord(topic=topic, key=key, value=body.encode(), headers=headers)


def bodies(records: list[Record]) -> list[str]:
    return [record.value.decode() for record in records]


def bodies_of(records: list[OutgoingRecord]) -> list[str]:
    return [record.value.decode() for record in records]


async def new_topic(bus: TestBus, purpose: str) -> str:
    topic = unique(purpose)
    await bus.create_topics([topic])
    return topic


@all_backends
async def test_records_of_one_key_arrive_in_order(bus: TestBus) -> None:
    topic = await new_topic(bus, "order")
    keys = [f"invoice-{n}" for n in range(12)]
    for batch in range(5):
        await bus.publish(
            [event(topic, key, f"{key}#{batch * 4 + i}") for i in range(4) for key in keys]
        )
    member = await started(bus, group=unique("order"), topics=[topic])

    received = await drain(member, 240)

    by_key: dict[str, list[int]] = defaultdict(list)
    for record in received:
        key, sequence = record.value.decode().split("#")
        assert record.key == key
        by_key[key].append(int(sequence))
    assert by_key == {key: list(range(20)) for key in keys}


@all_backends
async def test_members_of_a_group_split_partitions_and_groups_each_get_everything(
    bus: TestBus,
) -> None:
    topic = await new_topic(bus, "share")
    group = unique("share")
    first = await started(bus, group=group, topics=[topic])
    second = await started(bus, group=group, topics=[topic])
    other_group = await started(bus, group=unique("other"), topics=[topic])
    everything = frozenset((topic, partition) for partition in range(3))
    await wait_until(
        lambda: (
            bool(assignment(first))
            and bool(assignment(second))
            and assignment(first) | assignment(second) == everything
            and not assignment(first) & assignment(second)
        )
    )

    await bus.publish([event(topic, f"key-{n}", f"record-{n}") for n in range(60)])
    got_first, got_second = await drain_together(first, second, 60)

    assert sorted(bodies(got_first) + bodies(got_second)) == sorted(
        f"record-{n}" for n in range(60)
    )
    assert got_first, "the first member got no partition's records"
    assert got_second, "the second member got no partition's records"
    assert {(r.topic, r.partition) for r in got_first} <= assignment(first)
    assert {(r.topic, r.partition) for r in got_second} <= assignment(second)
    assert sorted(bodies(await drain(other_group, 60))) == sorted(f"record-{n}" for n in range(60))


async def drain_together(
    first: Subscription, second: Subscription, count: int
) -> tuple[list[Record], list[Record]]:
    """Both members fetch side by side until together they have `count` records."""
    got: tuple[list[Record], list[Record]] = ([], [])

    async def consume(member: Subscription, into: list[Record]) -> None:
        while len(got[0]) + len(got[1]) < count:
            batch = await member.fetch(max_records=20, timeout=0.2)
            into.extend(batch)
            for record in batch:
                await member.commit(record)

    async with asyncio.timeout(20):
        await asyncio.gather(consume(first, got[0]), consume(second, got[1]))
    return got


@all_backends
async def test_uncommitted_records_are_delivered_again_to_the_next_member(bus: TestBus) -> None:
    topic = await new_topic(bus, "redeliver")
    group = unique("redeliver")
    await bus.publish([event(topic, "decision-7", f"version-{n}") for n in range(10)])
    crashed = await started(bus, group=group, topics=[topic])
    fetched = await drain(crashed, 10, commit=False)
    await crashed.commit(fetched[3])
    await crashed.close()

    successor = await started(bus, group=group, topics=[topic])
    redelivered = await drain(successor, 6)

    assert bodies(redelivered) == [f"version-{n}" for n in range(4, 10)]
    assert await nothing_more(successor) == []


@all_backends
async def test_a_killed_member_is_replaced_after_its_session_times_out(
    bus: TestBus, backend: Backend, address: str
) -> None:
    topic = await new_topic(bus, "killed")
    group = unique("killed")
    await bus.publish([event(topic, "invoice-1", f"line-{n}") for n in range(8)])
    member = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "tests.bus.member_process"],
        *[backend, address, group, topic, "8", "5"],
        cwd=Path(__file__).parents[2],
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert member.stdout is not None
        # Patience, not a timing check: the process imports the whole of servicekit first, and
        # beside a busy suite on two cores that alone has taken over 30 s.
        line = await asyncio.wait_for(member.stdout.readline(), timeout=180)
        assert json.loads(line) == list(range(8)), "the member fetched all, committed 5"
    finally:
        member.send_signal(signal.SIGKILL)
        await member.wait()

    successor = await started(bus, group=group, topics=[topic])
    # The killed member's session (30 s on the SQL log) must end before its partitions move.
    redelivered = await drain(successor, 3, timeout=120)

    assert bodies(redelivered) == ["line-5", "line-6", "line-7"]


@all_backends
async def test_commit_never_moves_the_group_backwards(bus: TestBus) -> None:
    topic = await new_topic(bus, "forward")
    group = unique("forward")
    await bus.publish([event(topic, "patient-1", f"event-{n}") for n in range(10)])
    member = await started(bus, group=group, topics=[topic])
    fetched = await drain(member, 10, commit=False)
    await member.commit(fetched[7])
    await member.commit(fetched[2])
    await member.close()

    successor = await started(bus, group=group, topics=[topic])

    assert bodies(await drain(successor, 2)) == ["event-8", "event-9"]
    assert await nothing_more(successor) == []


@all_backends
async def test_lag_counts_what_the_member_has_not_read_yet(bus: TestBus) -> None:
    topic = await new_topic(bus, "lag")
    await bus.publish([event(topic, "patient-1", f"event-{n}") for n in range(10)])
    member = await started(bus, group=unique("lag"), topics=[topic])
    read: list[Record] = []
    async with asyncio.timeout(20):
        while not read:
            read = await member.fetch(max_records=4, timeout=0.2)

    assert member.lag() == {topic: 10 - len(read)}
    await drain(member, 10 - len(read))
    assert member.lag() == {topic: 0}


@sql_backends
async def test_a_member_that_lost_its_lease_cannot_commit(make_bus: BusMaker) -> None:
    bus = await make_bus()
    topic = await new_topic(bus, "fenced")
    group = unique("fenced")
    await bus.publish([event(topic, "invoice-9", f"line-{n}") for n in range(4)])
    stalled = await started(bus, group=group, topics=[topic])
    fetched = await drain(stalled, 4, commit=False)
    # Stop its heartbeats as a long GC pause or a frozen host would, past the session timeout.
    stalled._heartbeats.cancel()  # type: ignore[attr-defined]
    successor = await started(bus, group=group, topics=[topic])

    await wait_until(lambda: len(assignment(successor)) == 3)
    assert await stalled.fetch(timeout=0.1) == []  # stops reading once its leases may be gone
    await stalled.commit(fetched[-1])

    assert bodies(await drain(successor, 4)) == [f"line-{n}" for n in range(4)]


@sql_backends
async def test_no_event_skipped_when_producing_transactions_commit_out_of_order(
    make_bus: BusMaker,
) -> None:
    slow_producer = await make_bus()
    fast_producer = await make_bus()
    assert isinstance(slow_producer, SqlLogBus)
    topic = await new_topic(slow_producer, "out-of-order")
    await slow_producer.publish([event(topic, "invoice-3", "submitted")])
    member = await started(slow_producer, group=unique("out-of-order"), topics=[topic])
    assert bodies(await drain(member, 1)) == ["submitted"]

    # Reach inside to hold a producing transaction open, as a slow producer process would.
    async with slow_producer._engine.begin() as slow_transaction:
        await slow_producer._append(slow_transaction, [event(topic, "invoice-3", "priced")])
        fast = asyncio.create_task(
            fast_producer.publish([event(topic, "invoice-3", "adjudicated")])
        )
        await asyncio.sleep(0.3)
        assert not fast.done(), "the second producer must wait for the first one's partition lock"
        assert await nothing_more(member, 0.3) == []
    await fast

    received = await drain(member, 2)
    assert bodies(received) == ["priced", "adjudicated"]
    assert [record.offset for record in received] == [1, 2]


@all_backends
async def test_concurrent_producers_lose_nothing_and_keep_each_ones_order(
    make_bus: BusMaker,
) -> None:
    producers = [await make_bus() for _ in range(4)]
    topic = await new_topic(producers[0], "concurrent")
    keys = [f"consultation-{n}" for n in range(5)]

    async def produce(number: int, producer: TestBus) -> None:
        for sequence in range(10):
            await producer.publish(
                [event(topic, key, f"{number}:{key}:{sequence}") for key in keys]
            )

    await asyncio.gather(*(produce(n, producer) for n, producer in enumerate(producers)))
    member = await started(producers[0], group=unique("concurrent"), topics=[topic])
    received = await drain(member, 200)

    sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for record in received:
        number, key, sequence = record.value.decode().split(":")
        sequences[(number, key)].append(int(sequence))
    assert sequences == {(str(n), key): list(range(10)) for n in range(4) for key in keys}
    offsets: dict[int, list[int]] = defaultdict(list)
    for record in received:
        offsets[record.partition].append(record.offset)
    assert all(o == list(range(o[0], o[0] + len(o))) for o in offsets.values()), "no gaps"


@all_backends
async def test_dead_letter_topic_keeps_the_record_and_its_headers(bus: TestBus) -> None:
    group = unique("pricing")
    topic = dead_letter_topic(group)
    await bus.create_topics([topic])
    headers = {
        "error": "ValueError('no tariff for code 101076 on 2025-02-30')",
        "original_topic": "mediprima.invoices",
        "original_partition": "2",
        "original_offset": "41",
        "correlation_id": "c0ffee",
    }
    await bus.publish([event(topic, "invoice-42", '{"type": "poison"}', **headers)])
    operator = await started(bus, group=unique("replay"), topics=[topic])

    (record,) = await drain(operator, 1)

    assert topic == f"mediprima.dead-letter.{group}"
    assert (record.topic, record.key, record.value) == (topic, "invoice-42", b'{"type": "poison"}')
    assert dict(record.headers) == headers


@all_backends
async def test_a_published_batch_is_visible_whole_and_in_order(bus: TestBus) -> None:
    topic = await new_topic(bus, "batch")
    keys = ["a", "b", "c", "d"]
    batch = [event(topic, keys[n % 4], f"{keys[n % 4]}{n}") for n in range(40)]
    member = await started(bus, group=unique("batch"), topics=[topic])
    assert await nothing_more(member, 0.2) == []

    await bus.publish(batch)
    received = await drain(member, 40)

    assert sorted(bodies(received)) == sorted(bodies_of(batch))
    by_partition: dict[int, list[Record]] = defaultdict(list)
    for record in received:
        by_partition[record.partition].append(record)
    for records in by_partition.values():
        positions = [int(record.value.decode()[1:]) for record in records]
        assert positions == sorted(positions), "a partition keeps the batch's order"
        offsets = [record.offset for record in records]
        assert offsets == list(range(offsets[0], offsets[0] + len(offsets))), "and has no gaps"


@sql_backends
async def test_a_failed_batch_leaves_nothing_behind(bus: TestBus) -> None:
    topic = await new_topic(bus, "atomic")
    member = await started(bus, group=unique("atomic"), topics=[topic])

    with pytest.raises(UnknownTopicError):
        await bus.publish([event(topic, "k", "first"), event(unique("missing"), "k", "second")])
    await bus.publish([event(topic, "k", "after")])

    assert bodies(await drain(member, 1)) == ["after"]
    assert await nothing_more(member, 0.2) == []


@all_backends
async def test_creating_topics_again_is_harmless(bus: TestBus) -> None:
    topic = await new_topic(bus, "again")
    await bus.create_topics([topic, topic])
    await bus.publish([event(topic, "k", "still-there")])
    member = await started(bus, group=unique("again"), topics=[topic])

    assert bodies(await drain(member, 1)) == ["still-there"]


@all_backends
async def test_ping_answers_on_a_live_bus_and_fails_on_an_unreachable_one(
    bus: TestBus, backend: Backend, tmp_path: Path
) -> None:
    await bus.ping()
    unreachable = {
        "sqlite": f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'bus.db'}",
        "postgres": "postgresql+asyncpg://postgres@127.0.0.1:9/postgres",
        "kafka": "127.0.0.1:9",
    }[backend]
    dead = make_test_bus(backend, unreachable, ping_timeout=3.0)
    try:
        with pytest.raises(BusUnavailableError):
            await dead.ping()
    finally:
        if isinstance(dead, SqlLogBus):
            await dead.close()


def test_partition_of_a_key_is_the_same_in_every_process() -> None:
    # Pinned values: Python's hash() of a str would change with every process (PYTHONHASHSEED).
    assert [partition_for(f"invoice-{n}", 3) for n in range(6)] == [2, 2, 1, 0, 2, 2]


@pytest.mark.parametrize(
    ("partitions", "members", "shares"), [(3, 2, [2, 1]), (4, 3, [2, 1, 1]), (2, 3, [1, 1, 0])]
)
def test_sql_group_shares_partitions_like_kafka(
    partitions: int, members: int, shares: list[int]
) -> None:
    live = [f"member-{n}" for n in range(members)]
    assert [fair_share(member, live, partitions) for member in live] == shares


def test_build_bus_gives_the_configured_backend() -> None:
    assert isinstance(build_bus("sql", sql_url="sqlite+aiosqlite:///bus.db"), SqlLogBus)
    assert isinstance(build_bus("kafka", bootstrap_servers="127.0.0.1:9092"), KafkaBus)
    with pytest.raises(ValueError, match="sql_url"):
        build_bus("sql")
    with pytest.raises(ValueError, match="bootstrap_servers"):
        build_bus("kafka")
    assert dead_letter_topic("tariffing.invoices") == "mediprima.dead-letter.tariffing.invoices"
