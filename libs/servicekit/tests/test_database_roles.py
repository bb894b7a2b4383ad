"""Each service reaches PostgreSQL as its own role: owner of its database, nothing more."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from servicekit.db import create_engine
from servicekit.testing import postgres_database

pytestmark = pytest.mark.postgres


async def test_a_services_role_owns_its_database_and_cannot_reach_anothers() -> None:
    async with postgres_database("own") as own, postgres_database("other") as other:
        engine = create_engine(own)
        try:
            async with engine.connect() as connection:
                superuser = await connection.scalar(
                    text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                )
                await connection.execute(text("CREATE TABLE rows_of_mine (id int)"))
                await connection.commit()
        finally:
            await engine.dispose()
        intruder = create_engine(
            make_url(other)
            .set(username=make_url(own).username, password=make_url(own).password)
            .render_as_string(hide_password=False)
        )
        try:
            with pytest.raises(DBAPIError, match="permission denied"):
                async with intruder.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        finally:
            await intruder.dispose()

    assert superuser is False
