"""S-02 tenancy held by PostgreSQL too: the persons' names settlement keeps are each OCMW's own
rows; in a transaction done for one OCMW the names of another are out of reach even when the
repository is asked for every row (a forgotten filter)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediprima_contracts.testing import random_enterprise_number
from servicekit import rowsecurity
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import migrate, postgres_database
from settlement.directory import repository as directory
from settlement.directory.models import DecisionPerson
from settlement.main import service
from settlement.settlements import repository
from settlement.settlements.models import StatementName

pytestmark = pytest.mark.postgres


async def test_s02_another_ocmws_identity_reads_none_of_its_persons_names() -> None:
    ocmw_a, ocmw_b = random_enterprise_number(), random_enterprise_number()
    async with postgres_database("settlement_rls") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            async with database.transaction() as session:
                for ocmw, number, name in ((ocmw_a, "1", "Aerts"), (ocmw_b, "2", "Bauwens")):
                    session.add(
                        DecisionPerson(decision_number=number, ocmw=ocmw, decision_version=1,
                                       last_name=name, first_name="X")
                    )  # fmt: skip
                    session.add(
                        StatementName(settlement_id="s-1", ocmw=ocmw, decision_number=number,
                                      last_name=name, first_name="X")
                    )  # fmt: skip

            async def seen(tenant: Tenant | None) -> tuple[set[str], set[str]]:
                async with database.reading(tenant=tenant) as session:
                    frozen = await repository.frozen_names(session, "s-1", tenant=SERVICE)
                    kept = await session.scalars(select(DecisionPerson.last_name))
                    return (
                        {name.last_name for names in frozen.values() for name in names.values()},
                        set(kept),
                    )

            views = {
                "OCMW A": await seen(Tenant(Role.OCMW, ocmw_a)),
                "a GP": await seen(Tenant(Role.GP, "10000000001")),
                "an operator": await seen(Tenant(Role.OPERATOR, "ops-1")),
                "the service": await seen(None),
            }
            async with database.engine.connect() as connection:
                policies = await rowsecurity.declared(connection)
        finally:
            await database.dispose()

    everyone = {"Aerts", "Bauwens"}
    assert views == {
        "OCMW A": ({"Aerts"}, {"Aerts"}),
        "a GP": (set(), set()),
        "an operator": (everyone, everyone),
        "the service": (everyone, everyone),
    }
    assert policies == {
        table: rowsecurity.describe(readers)
        for table, readers in (
            rowsecurity.readers_of(repository.NAME_OWNERS),
            rowsecurity.readers_of(directory.PERSON_OWNERS),
        )
    }
