"""This service's table metadata; every model module registers on it."""

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase

from servicekit.db import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements: rows in and out without the ORM's unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
