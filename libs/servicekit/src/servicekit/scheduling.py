"""Periodic jobs on a cron schedule, run by one instance of a service at a time.

Every instance of a service runs the same loop; a lease row in the service's own database
(`job_leases`, one row per job) decides which one runs a given slot. The row remembers the last
slot claimed, so a slot runs once however many instances wake for it, and a slot missed while
every instance was down runs as soon as one is back (only the latest one: a job that catches up
on its own, such as a payment run, needs no more). The lease expires, so an instance that dies
mid-run does not block the others for good; while a job runs its lease is renewed.

The clock is passed in; on SQLite (one file shared by processes) the claim is serialised by the
write lock every transaction takes, on PostgreSQL by the row lock.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import structlog
from alembic import op
from croniter import croniter
from sqlalchemy.exc import IntegrityError

from servicekit.db import Database, new_metadata

log = structlog.get_logger()

metadata = new_metadata()

job_leases = sa.Table(
    "job_leases",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("last_slot", sa.DateTime(timezone=True), nullable=False),
    sa.Column("holder", sa.String(200), nullable=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
)


def create_job_leases_table_v1() -> None:
    """The lease table as first created; called from a service's migration."""
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("last_slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(200), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_job_leases"),
    )


def drop_job_leases_table_v1() -> None:
    op.drop_table("job_leases")


Clock = Callable[[], datetime]
Pause = Callable[[float, asyncio.Event], Awaitable[None]]
"""Waits `seconds`, or less when the event is set."""


def utc_now() -> datetime:
    return datetime.now(UTC)


async def pause_until_stopped(seconds: float, stop: asyncio.Event) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def until_any_set(events: Iterable[asyncio.Event], seconds: float) -> bool:
    """Waits until one of `events` is set (True) or `seconds` pass (False)."""
    waits = {asyncio.ensure_future(event.wait()) for event in events}
    done, pending = await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return bool(done)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back the UTC wall time without its offset."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Schedule:
    """A cron expression (5 fields, or 6 with seconds last) read in a time zone."""

    def __init__(self, expression: str, zone: str = "UTC") -> None:
        if not croniter.is_valid(expression):
            raise ValueError(f"not a cron expression: {expression!r}")
        self.expression = expression
        self.zone = ZoneInfo(zone)

    def next_after(self, moment: datetime) -> datetime:
        """The first slot strictly after `moment`, in UTC."""
        found: datetime = croniter(self.expression, moment.astimezone(self.zone)).get_next(datetime)
        return found.astimezone(UTC)

    def latest_at_or_before(self, moment: datetime) -> datetime:
        """The last slot at or before `moment`, in UTC."""
        local = moment.astimezone(self.zone)
        before: datetime = croniter(self.expression, local).get_prev(datetime)
        following = self.next_after(before)
        return following if following <= moment else before.astimezone(UTC)


class DatabaseLease:
    """Who runs job `name`, until when, and the last slot claimed, in the `job_leases` row."""

    def __init__(self, database: Database, name: str, *, holder: str, lasting: timedelta) -> None:
        self.database, self.name, self.holder, self.lasting = database, name, holder, lasting

    async def register(self, slot: datetime) -> None:
        """Create the row on the job's first start, as if `slot` had run: a new job waits for
        its next slot rather than running at once."""
        async with self.database.transaction() as session:
            if await self._row(session) is not None:
                return
            try:
                async with session.begin_nested():
                    await session.execute(
                        job_leases.insert().values(name=self.name, last_slot=slot)
                    )
            except IntegrityError:
                return  # another instance registered it first

    async def claim(self, slot: datetime, now: datetime) -> bool:
        """Take the lease to run `slot`: only when that slot was not claimed yet and nobody
        else holds an unexpired lease."""
        async with self.database.transaction() as session:
            row = await self._row(session, for_update=True)
            if row is None or _utc(row.last_slot) >= slot:
                return False
            if (
                row.holder not in (None, self.holder)
                and row.expires_at is not None
                and _utc(row.expires_at) > now
            ):
                return False
            await session.execute(
                job_leases.update()
                .where(job_leases.c.name == self.name)
                .values(last_slot=slot, holder=self.holder, expires_at=now + self.lasting)
            )
            return True

    async def renew(self, now: datetime) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                job_leases.update()
                .where(job_leases.c.name == self.name, job_leases.c.holder == self.holder)
                .values(expires_at=now + self.lasting)
            )

    async def release(self) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                job_leases.update()
                .where(job_leases.c.name == self.name, job_leases.c.holder == self.holder)
                .values(holder=None, expires_at=None)
            )

    async def _row(self, session: Any, *, for_update: bool = False) -> Any:
        query = sa.select(job_leases).where(job_leases.c.name == self.name)
        if for_update:
            query = query.with_for_update()
        return (await session.execute(query)).one_or_none()


class PeriodicJob:
    """Runs `job` at every slot of `schedule`, on one instance at a time.

    `run(stop)` is the loop: a service runs it as background work (`BackgroundSpec`), which
    stops it with the service.
    """

    def __init__(
        self,
        *,
        name: str,
        schedule: Schedule,
        job: Callable[[], Awaitable[object]],
        database: Database,
        lease: timedelta = timedelta(minutes=15),
        clock: Clock = utc_now,
        pause: Pause = pause_until_stopped,
    ) -> None:
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.name, self.schedule, self.job, self.clock, self.pause = (
            name,
            schedule,
            job,
            clock,
            pause,
        )
        self.lease = DatabaseLease(database, name, holder=holder, lasting=lease)

    async def run(self, stop: asyncio.Event) -> None:
        await self.lease.register(self.schedule.latest_at_or_before(self.clock()))
        log.info("scheduling.job.started", job=self.name, schedule=self.schedule.expression)
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception as exc:  # a database hiccup must not end the schedule
                log.exception("scheduling.job.failed", job=self.name, error=repr(exc))
            now = self.clock()
            await self.pause((self.schedule.next_after(now) - now).total_seconds(), stop)

    async def run_due(self) -> bool:
        """Run the latest slot that is due, if this instance claims it; whether it ran."""
        now = self.clock()
        slot = self.schedule.latest_at_or_before(now)
        if not await self.lease.claim(slot, now):
            return False
        log.info("scheduling.job.running", job=self.name, slot=slot.isoformat())
        done = asyncio.Event()
        renewing = asyncio.create_task(self._renew_until(done))
        try:
            await self.job()
        except Exception as exc:
            log.exception("scheduling.job.failed", job=self.name, error=repr(exc))
        finally:
            done.set()
            await renewing
            await self.lease.release()
        return True

    async def _renew_until(self, done: asyncio.Event) -> None:
        every = self.lease.lasting.total_seconds() / 3
        while not done.is_set():
            await pause_until_stopped(every, done)
            if not done.is_set():
                await self.lease.renew(self.clock())


def repeating(
    name: str, every_seconds: float, job: Callable[[], Awaitable[object]]
) -> Callable[[asyncio.Event], Coroutine[Any, Any, None]]:
    """A loop running `job` every `every_seconds` until stopped, on every instance: for work
    that is safe to run anywhere at once (it claims its rows), unlike a `PeriodicJob`."""

    async def loop(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await job()
            except Exception as exc:  # a database hiccup must not end the loop
                log.exception("scheduling.repeating.failed", job=name, error=repr(exc))
            await pause_until_stopped(every_seconds, stop)

    return loop
