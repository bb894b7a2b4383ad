"""Tenancy held by PostgreSQL itself: a transaction done for a caller sees only the rows its role
owns, whatever query a use case runs; the service's own transactions see every row."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from servicekit import rowsecurity
from servicekit.auth import Principal, Role, TokenVerifier, require
from servicekit.db import Database
from servicekit.errors import install_problem_handlers
from servicekit.http import DbReadSession, DbSession
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import TokenFactory, postgres_database

OCMW_A, OCMW_B = "0200000001", "0200000002"
GP_A, GP_B = "10000000001", "10000000002"
READERS = {Role.OCMW: "ocmw", Role.GP: "provider"}
Anyone = Annotated[Principal, require(Role.OCMW, Role.GP, Role.OPERATOR)]


async def _notes_table(database: Database) -> None:
    """A tenant table under the policy, one row of each tenant, written by the service."""
    async with database.engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE notes (id text PRIMARY KEY, ocmw text, provider text)")
        )
        for statement in rowsecurity.policy_statements("notes", READERS):
            await connection.execute(text(statement))
    async with database.transaction() as session:
        await session.execute(
            text("INSERT INTO notes VALUES ('a', :ocmw_a, :gp_a), ('b', :ocmw_b, :gp_b)"),
            {"ocmw_a": OCMW_A, "gp_a": GP_A, "ocmw_b": OCMW_B, "gp_b": GP_B},
        )


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    async with postgres_database("rls") as url:
        # One connection: every transaction reuses the one before it.
        database = Database(url, pool_size=1, max_overflow=0)
        try:
            await _notes_table(database)
            yield database
        finally:
            await database.dispose()


async def _ids(database: Database, tenant: Tenant | None, *, read_only: bool = False) -> list[str]:
    opened = database.reading(tenant=tenant) if read_only else database.transaction(tenant=tenant)
    async with opened as session:
        return list(await session.scalars(text("SELECT id FROM notes ORDER BY id")))


@pytest.mark.postgres
async def test_a_callers_transaction_sees_only_its_own_rows_even_through_an_unfiltered_query(
    database: Database,
) -> None:
    seen = {
        "OCMW A": await _ids(database, Tenant(Role.OCMW, OCMW_A)),
        "OCMW B, reading": await _ids(database, Tenant(Role.OCMW, OCMW_B), read_only=True),
        "GP A": await _ids(database, Tenant(Role.GP, GP_A)),
        "a GP with OCMW A's number": await _ids(database, Tenant(Role.GP, OCMW_A)),
        "the register feed": await _ids(database, Tenant(Role.REGISTER, OCMW_A)),
        "an operator": await _ids(database, Tenant(Role.OPERATOR, "operator-1")),
        "the service": await _ids(database, SERVICE),
        "no one named": await _ids(database, None, read_only=True),
    }

    assert seen == {
        "OCMW A": ["a"],
        "OCMW B, reading": ["b"],
        "GP A": ["a"],
        "a GP with OCMW A's number": [],
        "the register feed": [],
        "an operator": ["a", "b"],
        "the service": ["a", "b"],
        "no one named": ["a", "b"],
    }


@pytest.mark.postgres
async def test_a_caller_can_neither_change_nor_delete_another_tenants_row(
    database: Database,
) -> None:
    async with database.transaction(tenant=Tenant(Role.OCMW, OCMW_A)) as session:
        changed: Any = await session.execute(text("UPDATE notes SET provider = 'x' WHERE id = 'b'"))
        deleted: Any = await session.execute(text("DELETE FROM notes WHERE id = 'b'"))
    async with database.reading() as session:
        row_b = (await session.execute(text("SELECT provider FROM notes WHERE id = 'b'"))).one()

    assert (changed.rowcount, deleted.rowcount) == (0, 0)
    assert row_b.provider == GP_B


@pytest.mark.postgres
async def test_a_callers_identity_ends_with_its_transaction_on_the_pooled_connection(
    database: Database,
) -> None:
    await _ids(database, Tenant(Role.GP, GP_A))
    async with database.transaction() as session:
        role = await session.scalar(
            text(f"SELECT current_setting('{rowsecurity.ROLE_SETTING}', true)")
        )

    assert role in (None, "")
    assert await _ids(database, None) == ["a", "b"]


@pytest.mark.postgres
async def test_the_policy_records_whose_rows_each_role_reads(database: Database) -> None:
    async with database.engine.connect() as connection:
        policies = await rowsecurity.declared(connection)

    assert policies == {"notes": "gp=provider,ocmw=ocmw"}


def _app(tokens: TokenFactory, database: Database) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.database = database
    app.state.verifier = TokenVerifier.from_file(
        tokens.jwks_path, issuer=tokens.issuer, audience=tokens.audience
    )

    @app.get("/notes")
    async def read_notes(session: DbReadSession, _caller: Anyone) -> list[str]:
        return list(await session.scalars(text("SELECT id FROM notes ORDER BY id")))

    @app.delete("/notes")
    async def delete_notes(session: DbSession, _caller: Anyone) -> int:
        deleted: Any = await session.execute(text("DELETE FROM notes"))
        return int(deleted.rowcount)

    return app


@pytest.mark.postgres
async def test_a_request_transaction_is_done_for_its_verified_caller(
    database: Database, tmp_path: Path
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    transport = httpx.ASGITransport(app=_app(tokens, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as client:
        read = {
            label: (await client.get("/notes", headers=tokens.headers(role, subject))).json()
            for label, role, subject in (
                ("OCMW A", Role.OCMW, OCMW_A),
                ("GP B", Role.GP, GP_B),
                ("an operator", Role.OPERATOR, "operator-1"),
            )
        }
        no_token = await client.get("/notes")
        deleted_by_gp_a = await client.delete("/notes", headers=tokens.headers(Role.GP, GP_A))

    assert read == {"OCMW A": ["a"], "GP B": ["b"], "an operator": ["a", "b"]}
    assert no_token.status_code == 401
    assert deleted_by_gp_a.json() == 1
    assert await _ids(database, None) == ["b"]


async def test_on_sqlite_a_callers_transaction_costs_no_statement_more(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}")
    statements: list[str] = []
    event.listen(
        database.engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_: statements.append(statement),
    )
    try:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
        without = len(statements)
        async with database.transaction(tenant=Tenant(Role.GP, GP_A)) as session:
            await session.execute(text("SELECT 1"))
    finally:
        await database.dispose()

    assert len(statements) == 2 * without
