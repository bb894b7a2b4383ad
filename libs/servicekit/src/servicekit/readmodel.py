"""Read models of versioned aggregates published as whole snapshots (event-carried state).

Every version is kept: redelivery changes nothing, versions may arrive in any order, and the
highest version is the current one while older ones stay available (e.g. for a guarantee given
on a version that was later narrowed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, Integer, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

SnapshotT = TypeVar("SnapshotT", bound="VersionedSnapshot")


class VersionedSnapshot:
    """Columns every snapshot read model has; the model adds its key and lookup columns."""

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def keep_version(session: AsyncSession, row: VersionedSnapshot) -> bool:
    """Store this version unless it is already there; True when it was new."""
    identity = session.identity_key(instance=row)[1]
    if await session.get(type(row), identity) is not None:
        return False
    session.add(row)
    return True


def current_versions(
    model: type[SnapshotT], key: InstrumentedAttribute[str], *conditions: Any
) -> Select[SnapshotT]:
    """The highest version of each aggregate matching `conditions`."""
    version: InstrumentedAttribute[int] = model.version
    latest = (
        select(key.label("key"), func.max(version).label("version"))
        .where(*conditions)
        .group_by(key)
        .subquery()
    )
    return (
        select(model)
        .join(latest, (key == latest.c.key) & (version == latest.c.version))
        .order_by(key)
    )
