"""This service's table metadata; every model module registers on it."""

from datetime import UTC, datetime

from sqlalchemy.orm import DeclarativeBase

from servicekit.db import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp with its offset: SQLite hands back the UTC wall time without one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
