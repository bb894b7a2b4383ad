"""This service's table metadata; every model module registers on it."""

from servicekit.db import new_metadata
from sqlalchemy.orm import DeclarativeBase

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata
