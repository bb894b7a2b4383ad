"""Periodic jobs: slots from a cron schedule in a time zone, each slot run by one instance (a
lease row, on SQLite shared by processes and on PostgreSQL), missed slots caught up once; the
clock is injected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from servicekit.db import Database
from servicekit.scheduling import DatabaseLease, PeriodicJob, Schedule, job_leases, metadata
from servicekit.testing import postgres_database

BRUSSELS = ZoneInfo("Europe/Brussels")
DAILY_AT_SIX = Schedule("0 6 * * *", "Europe/Brussels")


def brussels(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A service's database with the lease table."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
        else:
            url = await stack.enter_async_context(postgres_database("sched"))
        database = Database(url)
        stack.push_async_callback(database.dispose)
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield database


def test_slots_follow_the_cron_expression_in_its_time_zone() -> None:
    # 29 March 2026: summer time starts in Brussels; 06:00 is 04:00 UTC from then on.
    assert DAILY_AT_SIX.next_after(brussels(2026, 3, 28, 12, 0)) == datetime(
        2026, 3, 29, 4, 0, tzinfo=UTC
    )
    assert DAILY_AT_SIX.next_after(brussels(2026, 3, 27, 6, 0)) == brussels(2026, 3, 28, 6, 0)
    assert DAILY_AT_SIX.latest_at_or_before(brussels(2026, 3, 28, 6, 0)) == brussels(
        2026, 3, 28, 6, 0
    )
    assert DAILY_AT_SIX.latest_at_or_before(brussels(2026, 3, 28, 5, 59)) == brussels(
        2026, 3, 27, 6, 0
    )
    every_second = Schedule("* * * * * *")
    moment = datetime(2026, 1, 1, 0, 0, 0, 500_000, tzinfo=UTC)
    assert every_second.latest_at_or_before(moment) == datetime(2026, 1, 1, tzinfo=UTC)
    assert every_second.next_after(moment) == datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["", "every day", "61 * * * *"])
def test_a_schedule_that_is_not_cron_is_refused(expression: str) -> None:
    with pytest.raises(ValueError, match="not a cron expression"):
        Schedule(expression)


async def test_a_job_runs_at_each_slot_with_an_injected_clock(database: Database) -> None:
    clock = FakeClock(brussels(2026, 11, 30, 14, 0))
    stop = asyncio.Event()
    ran: list[datetime] = []

    async def job() -> None:
        ran.append(clock())
        if len(ran) == 3:
            stop.set()

    async def pause(seconds: float, _stop: asyncio.Event) -> None:
        clock.advance(seconds)

    scheduled = PeriodicJob(
        name="test.daily", schedule=DAILY_AT_SIX, job=job, database=database, clock=clock,
        pause=pause,
    )  # fmt: skip

    await asyncio.wait_for(scheduled.run(stop), timeout=30)

    # Started at 14:00: the first run is the next morning, not at once.
    assert ran == [brussels(2026, 12, day, 6, 0) for day in (1, 2, 3)]


async def test_each_slot_runs_on_one_instance_only(database: Database) -> None:
    clock = FakeClock(brussels(2026, 12, 1, 5, 0))
    runs: list[str] = []

    def instance(name: str) -> PeriodicJob:
        async def job() -> None:
            runs.append(name)
            await asyncio.sleep(0.05)

        return PeriodicJob(
            name="test.daily", schedule=DAILY_AT_SIX, job=job, database=database, clock=clock
        )

    first, second = instance("first"), instance("second")
    await first.lease.register(DAILY_AT_SIX.latest_at_or_before(clock()))
    await second.lease.register(DAILY_AT_SIX.latest_at_or_before(clock()))
    assert await asyncio.gather(first.run_due(), second.run_due()) == [False, False]

    clock.advance(3600)  # 06:00: both wake for the slot at once
    together = await asyncio.gather(first.run_due(), second.run_due())
    later = await second.run_due()  # the slot ran and the lease was released: still once

    assert sorted(together) == [False, True]
    assert later is False
    assert len(runs) == 1
    clock.advance(24 * 3600)
    assert await second.run_due() is True
    assert len(runs) == 2


async def test_a_held_lease_blocks_others_until_it_expires(database: Database) -> None:
    now = brussels(2026, 12, 1, 6, 0)
    slot = DAILY_AT_SIX.latest_at_or_before(now)
    lasting = timedelta(minutes=15)
    crashed = DatabaseLease(database, "test.daily", holder="crashed", lasting=lasting)
    other = DatabaseLease(database, "test.daily", holder="other", lasting=lasting)
    await crashed.register(slot - timedelta(days=1))

    assert await crashed.claim(slot, now) is True  # then its process dies, never releasing
    next_slot = slot + timedelta(days=1)
    assert await other.claim(slot, now) is False  # the slot was claimed: never run twice
    # A run that outlives its next slot keeps it from others while the lease lasts.
    assert await other.claim(next_slot, now + timedelta(minutes=5)) is False
    assert await other.claim(next_slot, now + timedelta(minutes=16)) is True
    async with database.reading() as session:
        row = (await session.execute(select(job_leases))).one()
    assert row.holder == "other"


async def test_a_slot_missed_while_down_runs_once_when_back(database: Database) -> None:
    clock = FakeClock(brussels(2026, 12, 1, 5, 0))
    ran: list[datetime] = []

    async def job() -> None:
        ran.append(clock())

    def started() -> PeriodicJob:
        return PeriodicJob(
            name="test.daily", schedule=DAILY_AT_SIX, job=job, database=database, clock=clock
        )

    await started().lease.register(DAILY_AT_SIX.latest_at_or_before(clock()))
    clock.advance(3 * 24 * 3600)  # down for three days, over three slots
    back = started()
    await back.lease.register(DAILY_AT_SIX.latest_at_or_before(clock()))  # already known

    assert await back.run_due() is True
    assert await back.run_due() is False
    assert ran == [brussels(2026, 12, 4, 5, 0)]


async def test_a_failing_job_releases_its_lease_and_the_schedule_goes_on(
    database: Database,
) -> None:
    clock = FakeClock(brussels(2026, 12, 1, 5, 0))
    attempts: list[datetime] = []

    async def job() -> None:
        attempts.append(clock())
        raise RuntimeError("the bank is closed")

    scheduled = PeriodicJob(
        name="test.daily", schedule=DAILY_AT_SIX, job=job, database=database, clock=clock
    )
    await scheduled.lease.register(DAILY_AT_SIX.latest_at_or_before(clock()))
    clock.advance(3600)

    assert await scheduled.run_due() is True
    async with database.reading() as session:
        row = (await session.execute(select(job_leases))).one()
    assert (row.holder, row.expires_at) == (None, None)
    clock.advance(24 * 3600)
    assert await scheduled.run_due() is True
    assert len(attempts) == 2


async def test_a_started_job_runs_on_real_time_and_stops(database: Database) -> None:
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    scheduled = PeriodicJob(
        name="test.every-second", schedule=Schedule("* * * * * *"), job=job, database=database
    )
    stop = asyncio.Event()
    loop = asyncio.create_task(scheduled.run(stop))
    try:
        await asyncio.wait_for(ran.wait(), timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(loop, timeout=10)

    assert ran.is_set()
    assert loop.done()
