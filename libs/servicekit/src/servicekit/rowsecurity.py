"""Tenancy enforced by PostgreSQL too: a row-level security policy per tenant table, and the
caller's identity set on every transaction of a request.

The repositories' filter (`servicekit.tenancy`) stays the first control and the only one on
SQLite, which has no row security. On PostgreSQL each tenant table also carries one policy,
rendered here from the same owner columns the repository declares: a transaction that names a
caller sees the rows that caller's role owns (an operator every row, a role the table names no
owner column for none); a transaction that names no caller is the service's own work (a
consumer, the relay, a job, a migration) and sees every row. The policy binds the table's owner
too (`FORCE`), since each service connects as the owner of its database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Session, SessionTransaction

from servicekit.auth import Role
from servicekit.tenancy import Tenant

ROLE_SETTING = "mediprima.tenant_role"
SUBJECT_SETTING = "mediprima.tenant_subject"
POLICY = "tenant_rows"
TENANT_INFO = "mediprima.tenant"
"""The key of `Session.info` that holds the transaction's `Tenant`."""

# Transaction-local (`true`): the identity ends with the transaction, so a pooled connection
# never carries one caller's identity into the next caller's transaction.
_IDENTIFY = text(
    f"SELECT set_config('{ROLE_SETTING}', :role, true), "
    f"set_config('{SUBJECT_SETTING}', :subject, true)"
)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class IdentifiedSession(Session):
    """A session whose transactions tell PostgreSQL who calls, when `info` names a tenant."""


@event.listens_for(IdentifiedSession, "after_begin")
def _identify(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    # One round trip per transaction of a caller on PostgreSQL; none on SQLite, none for the
    # service's own transactions.
    tenant: Tenant | None = session.info.get(TENANT_INFO)
    if tenant is None or tenant.role is None or connection.dialect.name != "postgresql":
        return
    connection.execute(_IDENTIFY, {"role": tenant.role.value, "subject": tenant.subject or ""})


def readers_of(owners: Mapping[Role, Any]) -> tuple[str, dict[Role, str]]:
    """A repository's owner columns (`{Role.GP: Invoice.provider}`) as the table's name and
    each role's column name: what `enable_v1` takes."""
    columns = {role: attribute.expression for role, attribute in owners.items()}
    tables = {column.table.name for column in columns.values()}
    if len(tables) != 1:
        raise ValueError(f"owner columns of one table expected, got {sorted(tables)}")
    return tables.pop(), {role: column.name for role, column in columns.items()}


def _setting(name: str) -> str:
    # A sub-select: evaluated once per statement, not once per row.
    return f"(SELECT current_setting('{name}', true))"


def visible(readers: Mapping[Role, str]) -> str:
    """The policy's condition: no caller named (the service), an operator, or the owner."""
    for column in readers.values():
        if not _NAME.match(column):
            raise ValueError(f"not a plain column name: {column!r}")
    role = _setting(ROLE_SETTING)
    owned = [
        f"({role} = '{reader.value}' AND {column} = {_setting(SUBJECT_SETTING)})"
        for reader, column in sorted(readers.items())
    ]
    return " OR ".join([f"coalesce({role}, '') IN ('', '{Role.OPERATOR.value}')", *owned])


def describe(readers: Mapping[Role, str]) -> str:
    """The readers as the policy's comment records them, e.g. `gp=provider`."""
    return ",".join(f"{role.value}={column}" for role, column in sorted(readers.items()))


def policy_statements(table: str, readers: Mapping[Role, str]) -> list[str]:
    """The SQL that puts `table` under the tenant policy (replacing an earlier one)."""
    if not _NAME.match(table):
        raise ValueError(f"not a plain table name: {table!r}")
    # Reads, updates and deletes see only visible rows; a new row is the use case's to check
    # (a GP's pricing simulation records a read the covering OCMW owns).
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({visible(readers)}) WITH CHECK (true)",
        f"COMMENT ON POLICY {POLICY} ON {table} IS '{describe(readers)}'",
    ]


def enable_v1(table: str, readers: Mapping[Role, str]) -> None:
    """Migration step: `table` under the tenant policy on PostgreSQL; nothing on SQLite."""
    from alembic import op

    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in policy_statements(table, readers):
        op.execute(statement)


def disable_v1(table: str) -> None:
    """Migration step undoing `enable_v1`."""
    from alembic import op

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


async def declared(connection: AsyncConnection) -> dict[str, str]:
    """The tenant policies of the connected database: table → `describe` of its readers."""
    rows = await connection.execute(
        text(
            "SELECT c.relname, obj_description(p.oid, 'pg_policy') FROM pg_policy p "
            "JOIN pg_class c ON c.oid = p.polrelid WHERE p.polname = :name"
        ),
        {"name": POLICY},
    )
    return {table: comment or "" for table, comment in rows}
