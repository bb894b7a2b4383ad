"""Two PostgreSQL roles per service: the owner migrates, a runtime role only reads and writes rows.

A service's processes connect as its runtime role (`MEDIPRIMA_DATABASE_URL`); its migrations
connect as the database's owner and, with `MEDIPRIMA_DATABASE_RUNTIME_ROLE` set, end by granting
that role what a running service needs and nothing more:

- rows: SELECT, INSERT, UPDATE and DELETE on the service's tables, no TRUNCATE, REFERENCES or
  TRIGGER, and no DDL (the runtime role owns nothing, so it can neither alter a table nor switch
  its row-level security off);
- the audit trails a service declares append-only (`ServiceDefinition.append_only`): SELECT and
  INSERT only, so a bug or an attacker in a handler cannot rewrite who read what;
- Alembic's version table: SELECT only;
- sequences: USAGE and SELECT, for identity and serial columns.

The grants are stated in full after every upgrade (revoke all, then grant), so a table a
migration adds or a right a release takes away is right after the next `mediprima migrate`.
Nothing here runs on SQLite, which has no roles.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import text
from sqlalchemy.engine import Connection

ROW_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
APPEND_RIGHTS = "SELECT, INSERT"
VERSION_TABLE = "alembic_version"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quoted(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain role or table name: {name!r}")
    return f'"{name}"'


def runtime_grants(role: str, tables: Collection[str], append_only: Collection[str]) -> list[str]:
    """The statements that give `role` exactly the runtime rights on `tables` (the schema's)."""
    grantee = _quoted(role)
    unknown = set(append_only) - set(tables)
    if unknown:
        raise ValueError(f"append-only tables that do not exist: {sorted(unknown)}")
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {grantee}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {grantee}",
        f"GRANT USAGE ON SCHEMA public TO {grantee}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}",
    ]
    for table in sorted(tables):
        rights = (
            "SELECT"
            if table == VERSION_TABLE
            else APPEND_RIGHTS
            if table in append_only
            else ROW_RIGHTS
        )
        statements.append(f"GRANT {rights} ON {_quoted(table)} TO {grantee}")
    return statements


def grant_runtime(connection: Connection, role: str, append_only: Collection[str]) -> None:
    """Migration's last step on PostgreSQL: `role` gets the runtime rights (see the module)."""
    if connection.dialect.name != "postgresql":
        return
    tables = connection.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ).all()
    for statement in runtime_grants(role, tables, append_only):
        connection.execute(text(statement))
