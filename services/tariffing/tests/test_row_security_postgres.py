"""Tenancy held by PostgreSQL: in a transaction done for one OCMW, the reads of another OCMW's
people are out of reach even when a use case asks the repository for every row (a forgotten
filter)."""

import uuid
from datetime import UTC, datetime

import pytest

from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit import rowsecurity
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import migrate, postgres_database
from tariffing.main import service
from tariffing.reads import repository

pytestmark = pytest.mark.postgres


async def _read_by_a_gp(database: Database, *, covering: str) -> str:
    """A GP's simulation records the read in the GP's own transaction: the row is the covering
    OCMW's, which the GP may write but not read back."""
    read_id = str(uuid.uuid4())
    async with database.transaction(tenant=Tenant(Role.GP, random_gp_riziv())) as session:
        await repository.add(
            session,
            {
                "read_id": read_id,
                "read_at": datetime.now(UTC),
                "reader_role": Role.GP.value,
                "reader": "gp",
                "endpoint": "simulation",
                "ssin": random_ssin(),
                "person_id": None,
                "ocmw": covering,
            },
        )
        seen_by_the_gp = await repository.page(session, SERVICE, ssin=None, limit=10, offset=0)
    assert seen_by_the_gp == []
    return read_id


async def _visible(database: Database, tenant: Tenant | None) -> set[str]:
    async with database.reading(tenant=tenant) as session:
        rows = await repository.page(session, SERVICE, ssin=None, limit=10, offset=0)
        return {row.read_id for row in rows}


async def test_another_ocmws_identity_reads_no_person_read_whatever_the_repository_is_asked() -> (
    None
):
    ocmw_a, ocmw_b = random_enterprise_number(), random_enterprise_number()
    async with postgres_database("tar_rls") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            of_a = await _read_by_a_gp(database, covering=ocmw_a)
            of_b = await _read_by_a_gp(database, covering=ocmw_b)
            seen = {
                "OCMW A": await _visible(database, Tenant(Role.OCMW, ocmw_a)),
                "OCMW B": await _visible(database, Tenant(Role.OCMW, ocmw_b)),
                "an operator": await _visible(database, Tenant(Role.OPERATOR, "ops-1")),
                "the service": await _visible(database, None),
            }
            async with database.engine.connect() as connection:
                policies = await rowsecurity.declared(connection)
        finally:
            await database.dispose()

    assert seen == {
        "OCMW A": {of_a},
        "OCMW B": {of_b},
        "an operator": {of_a, of_b},
        "the service": {of_a, of_b},
    }
    table, readers = rowsecurity.readers_of(repository.OWNERS)
    assert policies == {table: rowsecurity.describe(readers)}
