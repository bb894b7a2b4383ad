"""Tenancy held by PostgreSQL: in a transaction done for one tenant, another tenant's
consultations and exemption declarations are out of reach even when a use case asks the
repository for every row (a forgotten filter)."""

import uuid
from datetime import UTC, datetime
from typing import cast

import pytest
from sqlalchemy import Table, insert

from consultation.billing import repository as billing
from consultation.billing.models import BillingExemption
from consultation.billing.rules import ExemptionReason
from consultation.certificate_reads import repository as certificate_reads
from consultation.consultations import repository as consultations
from consultation.main import service
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

pytestmark = pytest.mark.postgres

EVERYTHING = consultations.AuditQuery(ssins=None, provider=None, since=None, until=None)


async def _consulted(database: Database, provider: str) -> str:
    consultation_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    async with database.transaction() as session:
        await consultations.add_unless_number_taken(
            session,
            {
                "consultation_id": consultation_id,
                "agreement_number": None,
                "provider": provider,
                "ssin": random_ssin(),
                "person_id": None,
                "care_date": now.date(),
                "care_type": None,
                "consulted_at": now,
                "agreement_valid_until": None,
                "covered": False,
                "decision_number": None,
                "version": None,
                "answer": {},
            },
        )
    return consultation_id


async def _declared(database: Database, *, ocmw: str, provider: str) -> str:
    exemption_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    async with database.transaction() as session:
        await session.execute(
            insert(cast(Table, BillingExemption.__table__)),
            {
                "exemption_id": exemption_id,
                "ocmw": ocmw,
                "provider": provider,
                "reason": ExemptionReason.TECHNICALLY_IMPOSSIBLE.value,
                "declared_on": now.date(),
                "document_reference": uuid.uuid4().hex,
                "recorded_at": now,
            },
        )
    return exemption_id


async def _consultations_visible(database: Database, tenant: Tenant | None) -> set[str]:
    """What the repository returns, asked for every row (`SERVICE`), for `tenant`."""
    async with database.reading(tenant=tenant) as session:
        rows, total = await consultations.page(session, SERVICE, EVERYTHING, limit=10, offset=0)
        assert total == len(rows)
        return {row.consultation_id for row in rows}


async def _exemptions_visible(database: Database, tenant: Tenant | None) -> set[str]:
    async with database.reading(tenant=tenant) as session:
        rows = await billing.exemptions(session, SERVICE, provider=None)
        return {row.exemption_id for row in rows}


async def test_another_tenants_identity_sees_none_of_their_rows_whatever_is_asked() -> None:
    gp_a, gp_b = random_gp_riziv(), random_gp_riziv()
    ocmw_a, ocmw_b = random_enterprise_number(), random_enterprise_number()
    async with postgres_database("cons_rls") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            of_a, of_b = await _consulted(database, gp_a), await _consulted(database, gp_b)
            a_for_a = await _declared(database, ocmw=ocmw_a, provider=gp_a)
            b_for_b = await _declared(database, ocmw=ocmw_b, provider=gp_b)
            readers = {
                "GP A": Tenant(Role.GP, gp_a),
                "GP B": Tenant(Role.GP, gp_b),
                "OCMW A": Tenant(Role.OCMW, ocmw_a),
                "an operator": Tenant(Role.OPERATOR, "ops-1"),
                "the service": None,
            }
            consulted = {
                label: await _consultations_visible(database, tenant)
                for label, tenant in readers.items()
            }
            declared = {
                label: await _exemptions_visible(database, tenant)
                for label, tenant in readers.items()
            }
            async with database.reading(tenant=readers["GP B"]) as session:
                declared_to_a_seen_by_b = await billing.declared_to(
                    session, ocmw=ocmw_a, provider=gp_a
                )
            async with database.engine.connect() as connection:
                policies = await rowsecurity.declared(connection)
        finally:
            await database.dispose()

    assert consulted == {
        "GP A": {of_a},
        "GP B": {of_b},
        "OCMW A": set(),
        "an operator": {of_a, of_b},
        "the service": {of_a, of_b},
    }
    # A provider sees the declarations naming it: every consultation of theirs reads them (I-06).
    assert declared == {
        "GP A": {a_for_a},
        "GP B": {b_for_b},
        "OCMW A": {a_for_a},
        "an operator": {a_for_a, b_for_b},
        "the service": {a_for_a, b_for_b},
    }
    assert list(declared_to_a_seen_by_b) == []
    assert policies == dict(
        (table, rowsecurity.describe(columns))
        for table, columns in (
            rowsecurity.readers_of(consultations.OWNERS),
            rowsecurity.readers_of(billing.READERS),
            rowsecurity.readers_of(certificate_reads.OWNERS),
        )
    )
