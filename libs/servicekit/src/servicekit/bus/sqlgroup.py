"""Consumer groups on the SQL event log: members share a group's partitions through leases.

There is no coordinator to ask, so every member runs the same round on each heartbeat: it
records that it is alive, works out its fair share from the live members, renews the leases it
holds, gives back any above its share and claims free or expired ones with a conditional UPDATE
(two members racing for one partition: exactly one UPDATE matches). A member that stops
heartbeating (crash, kill -9) keeps its leases only until they expire; then the others claim its
partitions and resume from the group's committed offset, which redelivers what it had fetched
but not committed (at least once).

Each step is its own short transaction so that members never hold locks on each other's leases
while waiting for more (no deadlocks on PostgreSQL; on SQLite, shorter hold of the write lock).
Times come from each process's clock: fine on one machine, and within NTP's skew of a
session timeout across machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from servicekit.bus import sqltables as t
from servicekit.bus.sqlengine import insert_ignoring_duplicates

TopicPartition = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Member:
    group: str
    member_id: str
    topics: Sequence[str]
    session_timeout: timedelta


@dataclass(frozen=True, slots=True)
class Rebalance:
    """Partitions the member holds after a round, and where to start in those it was not reading."""

    held: frozenset[TopicPartition]
    starts: dict[TopicPartition, int]


async def heartbeat(
    engine: AsyncEngine, member: Member, reading: frozenset[TopicPartition]
) -> Rebalance:
    """One round of membership: stay alive, renew, give back above the share, claim up to it.

    `reading` are the partitions the member has a position in; any other partition it holds
    (just claimed, or renewed after it stopped reading) starts at the group's committed offset.
    """
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        live = await _join(conn, member, now)
        partitions = await _ensure_group_rows(conn, member)
        # Renewing only touches this member's own leases, so it shares the transaction.
        held = await _renew(conn, member, now)
    share = fair_share(member.member_id, live, len(partitions))
    if len(held) > share:
        extras = sorted(held)[share:]
        async with engine.begin() as conn:
            await _release(conn, member, extras)
        held -= set(extras)
    starts: dict[TopicPartition, int] = {}
    if held - reading:
        async with engine.begin() as conn:
            starts = {tp: await _committed_offset(conn, member.group, tp) for tp in held - reading}
    if len(held) < share:
        starts |= await _claim(engine, member, now, share - len(held))
    return Rebalance(held=frozenset(held | starts.keys()), starts=starts)


def fair_share(member_id: str, live_members: Sequence[str], partition_count: int) -> int:
    """Kafka-like balance: everyone gets floor(P/N); the first P mod N members by id one more.

    Every member computes the same split from the same member list, so the shares add up to
    exactly P: no partition is left idle and none is fought over. (ceil(P/N) for everyone
    could leave a member with nothing, e.g. 2+2+0 for 4 partitions and 3 members.)
    """
    ranked = sorted(live_members)
    if member_id not in ranked:
        return 0
    base, extra = divmod(partition_count, len(ranked))
    return base + (1 if ranked.index(member_id) < extra else 0)


async def leave(engine: AsyncEngine, member: Member) -> None:
    """Give back every lease at once so the others take over without waiting for expiry."""
    async with engine.begin() as conn:
        await conn.execute(
            update(t.leases)
            .where(t.leases.c.group == member.group, t.leases.c.owner == member.member_id)
            .values(owner=None, expires_at=None)
        )
        await conn.execute(
            delete(t.members).where(
                t.members.c.group == member.group, t.members.c.member_id == member.member_id
            )
        )


async def holds_lease(conn: AsyncConnection, member: Member, partition: TopicPartition) -> bool:
    """True while `member` owns the partition; locks the lease until the transaction ends."""
    owner = await conn.scalar(
        select(t.leases.c.owner)
        .where(
            t.leases.c.group == member.group,
            t.leases.c.topic == partition[0],
            t.leases.c.partition == partition[1],
        )
        .with_for_update()
    )
    return owner == member.member_id


async def _join(conn: AsyncConnection, member: Member, now: datetime) -> list[str]:
    members = t.members.c
    seen = await conn.execute(
        update(t.members)
        .where(members.group == member.group, members.member_id == member.member_id)
        .values(heartbeat_at=now)
    )
    if seen.rowcount == 0:
        await conn.execute(
            insert(t.members).values(
                group=member.group, member_id=member.member_id, heartbeat_at=now
            )
        )
    # One read tells both who is alive and who has gone silent; the silent are rarely there.
    rows = await conn.execute(
        select(
            members.member_id,
            (members.heartbeat_at < now - member.session_timeout).label("silent"),
        ).where(members.group == member.group)
    )
    live: list[str] = []
    silent: list[str] = []
    for member_id, is_silent in rows:
        (silent if is_silent else live).append(member_id)
    if silent:
        await conn.execute(
            delete(t.members).where(members.group == member.group, members.member_id.in_(silent))
        )
    return live


async def _ensure_group_rows(conn: AsyncConnection, member: Member) -> list[TopicPartition]:
    """The member's topics' partitions, each with its lease and offset rows for the group.

    The rows exist before anyone claims, so claims and commits are plain UPDATEs.
    """
    leases = t.leases.c
    rows = await conn.execute(
        select(t.partitions.c.topic, t.partitions.c.partition, leases.group.is_(None))
        .select_from(
            t.partitions.outerjoin(
                t.leases,
                (leases.group == member.group)
                & (leases.topic == t.partitions.c.topic)
                & (leases.partition == t.partitions.c.partition),
            )
        )
        .where(t.partitions.c.topic.in_(member.topics))
    )
    partitions: list[TopicPartition] = []
    missing: list[dict[str, object]] = []
    for topic, partition, is_missing in rows:
        partitions.append((topic, partition))
        if is_missing:
            missing.append({"group": member.group, "topic": topic, "partition": partition})
    if missing:
        await conn.execute(insert_ignoring_duplicates(conn, t.leases), missing)
        offsets = [{**row, "committed_offset": 0} for row in missing]
        await conn.execute(insert_ignoring_duplicates(conn, t.group_offsets), offsets)
    return partitions


async def _renew(conn: AsyncConnection, member: Member, now: datetime) -> set[TopicPartition]:
    rows = await conn.execute(
        update(t.leases)
        .where(t.leases.c.group == member.group, t.leases.c.owner == member.member_id)
        .values(expires_at=now + member.session_timeout)
        .returning(t.leases.c.topic, t.leases.c.partition)
    )
    return {(topic, partition) for topic, partition in rows}


async def _release(
    conn: AsyncConnection, member: Member, partitions: Sequence[TopicPartition]
) -> None:
    await conn.execute(
        update(t.leases)
        .where(
            t.leases.c.group == member.group,
            t.leases.c.owner == member.member_id,
            tuple_(t.leases.c.topic, t.leases.c.partition).in_(partitions),
        )
        .values(owner=None, expires_at=None)
    )


async def _claim(
    engine: AsyncEngine, member: Member, now: datetime, wanted: int
) -> dict[TopicPartition, int]:
    """Take up to `wanted` free or expired leases; returns each one's committed offset."""
    leases = t.leases.c
    claimable = (leases.owner.is_(None)) | (leases.expires_at < now)
    async with engine.begin() as conn:
        rows = await conn.execute(
            select(leases.topic, leases.partition)
            .where(leases.group == member.group, leases.topic.in_(member.topics), claimable)
            .order_by(leases.topic, leases.partition)
        )
        candidates = [(topic, part) for topic, part in rows]
    claimed: dict[TopicPartition, int] = {}
    for topic, partition in candidates:
        if len(claimed) == wanted:
            break
        async with engine.begin() as conn:
            taken = await conn.execute(
                update(t.leases)
                .where(
                    leases.group == member.group,
                    leases.topic == topic,
                    leases.partition == partition,
                    claimable,
                )
                .values(owner=member.member_id, expires_at=now + member.session_timeout)
            )
            if taken.rowcount == 1:
                claimed[(topic, partition)] = await _committed_offset(
                    conn, member.group, (topic, partition)
                )
    return claimed


async def _committed_offset(conn: AsyncConnection, group: str, partition: TopicPartition) -> int:
    offsets = t.group_offsets.c
    committed = await conn.scalar(
        select(offsets.committed_offset).where(
            offsets.group == group, offsets.topic == partition[0], offsets.partition == partition[1]
        )
    )
    return int(committed or 0)
