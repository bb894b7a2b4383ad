"""This service's table metadata; every model module registers on it."""

from sqlalchemy.orm import DeclarativeBase

from servicekit.db import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata
