"""Each service reaches PostgreSQL as its own roles: the owner of its database migrates, and a
runtime role that owns nothing reads and writes rows (servicekit.dbroles)."""

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from servicekit.db import create_engine
from servicekit.dbroles import VERSION_TABLE, runtime_grants
from servicekit.registry import load_service, service_names
from servicekit.testing import migrate, postgres_database, postgres_database_roles

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


def _denied(message: str) -> Any:
    return pytest.raises(DBAPIError, match=message)


@pytest.mark.parametrize("name", service_names())
async def test_each_services_runtime_role_may_only_read_and_write_rows(name: str) -> None:
    definition = load_service(name)
    async with postgres_database_roles(name[:8]) as roles:
        await migrate(definition, roles.owner_url, runtime_role=roles.runtime_role)
        rights = await _table_rights(roles.runtime_url)

    assert rights.pop(VERSION_TABLE) == {"SELECT"}
    for table in definition.append_only:
        assert rights.pop(table) == {"SELECT", "INSERT"}, table
    assert rights, "a service with no tables of its own"
    for table, granted in rights.items():
        assert granted == {"SELECT", "INSERT", "UPDATE", "DELETE"}, table


async def test_the_runtime_role_cannot_change_the_schema_nor_rewrite_the_audit_trail() -> None:
    definition = load_service("consultation")
    async with postgres_database_roles("runtime") as roles:
        await migrate(definition, roles.owner_url, runtime_role=roles.runtime_role)
        engine = create_engine(roles.runtime_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text("INSERT INTO inbox VALUES ('c', 'e', now())"))
                await connection.execute(text("DELETE FROM inbox WHERE consumer = 'c'"))
                for statement, refusal in [
                    ("ALTER TABLE consultations NO FORCE ROW LEVEL SECURITY", "must be owner"),
                    ("DROP POLICY tenant_rows ON consultations", "must be owner"),
                    ("DROP TABLE inbox", "must be owner"),
                    ("CREATE TABLE mine (id int)", "permission denied for schema public"),
                    ("TRUNCATE inbox", "permission denied"),
                    ("DELETE FROM consultations", "permission denied"),
                    ("UPDATE certificate_reads SET reader = 'nobody'", "permission denied"),
                    ("UPDATE alembic_version SET version_num = 'x'", "permission denied"),
                ]:
                    with _denied(refusal):
                        await connection.execute(text(statement))
        finally:
            await engine.dispose()


async def test_a_migration_regrants_what_a_release_changed() -> None:
    definition = load_service("tariffing")
    async with postgres_database_roles("regrant") as roles:
        await migrate(definition, roles.owner_url, runtime_role=roles.runtime_role)
        owner = create_engine(roles.owner_url, isolation_level="AUTOCOMMIT")
        try:
            async with owner.connect() as connection:
                # A right granted by hand (or by an older release) is taken back by the next
                # migrate, which states every right in full.
                await connection.execute(
                    text(f'GRANT TRUNCATE, UPDATE ON person_reads TO "{roles.runtime_role}"')
                )
        finally:
            await owner.dispose()
        await migrate(definition, roles.owner_url, runtime_role=roles.runtime_role)
        rights = await _table_rights(roles.runtime_url)

    assert rights["person_reads"] == {"SELECT", "INSERT"}


def test_an_append_only_table_must_exist() -> None:
    with pytest.raises(ValueError, match="do not exist"):
        runtime_grants("app", tables=["outbox"], append_only=["audit"])


async def _table_rights(url: str) -> dict[str, set[str]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT t.tablename, p.privilege FROM pg_tables t CROSS JOIN unnest("
                    "ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']"
                    ") AS p(privilege) WHERE t.schemaname = 'public' "
                    "AND has_table_privilege(current_user, quote_ident(t.tablename), p.privilege)"
                )
            )
            rights: dict[str, set[str]] = {}
            for table, privilege in rows:
                rights.setdefault(table, set()).add(privilege)
            return rights
    finally:
        await engine.dispose()
