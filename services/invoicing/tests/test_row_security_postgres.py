"""Tenancy held by PostgreSQL: in a transaction done for one provider, another provider's invoice
is out of reach even when a use case asks the repository for every row (a forgotten filter)."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from invoicing.invoices import repository
from invoicing.invoices.criteria import InvoiceCriteria
from invoicing.main import service
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit import rowsecurity
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import (
    TokenFactory,
    embedded_settings,
    migrate,
    postgres_database,
    running_service,
)

from .support import invoice_body, key

pytestmark = pytest.mark.postgres


async def _received(database: Database, provider: str) -> str:
    invoice_id = str(uuid.uuid4())
    submitted_at = datetime.now(UTC)
    async with database.transaction() as session:
        await repository.add_received(
            session,
            invoices=[
                {
                    "invoice_id": invoice_id,
                    "provider": provider,
                    "ssin": random_ssin(),
                    "agreement_number": None,
                    "issued_on": submitted_at.date(),
                    "corrects_invoice_id": None,
                    "person_id": None,
                    "status": "received",
                    "submitted_at": submitted_at,
                    "idempotency_key": uuid.uuid4().hex,
                    "request_hash": uuid.uuid4().hex,
                }
            ],
            lines=[],
            history=[],
        )
    return invoice_id


async def _visible(database: Database, tenant: Tenant | None, invoice_ids: list[str]) -> set[str]:
    """What the repository returns, asked for every row (`SERVICE`), in a transaction done for
    `tenant`."""
    async with database.transaction(tenant=tenant) as session:
        got = {
            invoice_id
            for invoice_id in invoice_ids
            if await repository.get_with_lines(session, invoice_id, SERVICE, for_update=True)
        }
        listed = await repository.list_for(session, SERVICE, InvoiceCriteria(), offset=0, limit=10)
    assert {invoice.invoice_id for invoice in listed} == got
    return got


async def test_another_providers_identity_reads_no_invoice_whatever_the_repository_is_asked() -> (
    None
):
    author, other = random_gp_riziv(), random_gp_riziv()
    async with postgres_database("inv_rls") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            own, others = await _received(database, author), await _received(database, other)
            both = [own, others]
            seen = {
                "the author": await _visible(database, Tenant(Role.GP, author), both),
                "another GP": await _visible(database, Tenant(Role.GP, other), both),
                "an OCMW with the author's number": await _visible(
                    database, Tenant(Role.OCMW, author), both
                ),
                "an operator": await _visible(database, Tenant(Role.OPERATOR, "ops-1"), both),
                "the service": await _visible(database, None, both),
            }
            async with database.engine.connect() as connection:
                policies = await rowsecurity.declared(connection)
        finally:
            await database.dispose()

    assert seen == {
        "the author": {own},
        "another GP": {others},
        "an OCMW with the author's number": set(),
        "an operator": {own, others},
        "the service": {own, others},
    }
    table, readers = rowsecurity.readers_of(repository.OWNERS)
    assert policies == {table: rowsecurity.describe(readers)}


async def test_providers_read_their_own_invoices_over_http_as_before(tmp_path: Path) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    author, other = random_gp_riziv(), random_gp_riziv()
    async with postgres_database("inv_rls_http") as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as client:
            submitted = await client.post(
                "/v1/invoices",
                json=invoice_body(random_ssin()),
                headers=tokens.headers(Role.GP, author) | key(),
            )
            path = f"/v1/invoices/{submitted.json()['invoice_id']}"
            by_author = await client.get(path, headers=tokens.headers(Role.GP, author))
            by_other = await client.get(path, headers=tokens.headers(Role.GP, other))
            by_operator = await client.get(path, headers=tokens.headers(Role.OPERATOR, "ops-1"))
            listed_by_other = await client.get(
                "/v1/invoices", headers=tokens.headers(Role.GP, other)
            )

    assert submitted.status_code == 202
    assert (by_author.status_code, by_other.status_code, by_operator.status_code) == (
        200,
        404,
        200,
    )
    assert listed_by_other.status_code == 200
    assert listed_by_other.json()["items"] == []
