"""Tenancy in the data layer: the repository itself keeps another provider's invoices out of a
caller's reach, whatever the use case above it forgets."""

from pathlib import Path

import httpx

from invoicing.invoices import repository
from invoicing.invoices.criteria import InvoiceCriteria
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import TokenFactory

from .support import Gp, Line, invoice_body, key, new_ssin


async def test_the_repository_reads_an_invoice_for_its_provider_an_operator_and_no_one_else(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    author, other = Gp.new(tokens), Gp.new(tokens)
    submitted = await client.post(
        "/v1/invoices", json=invoice_body(new_ssin(), Line()), headers=author.headers | key()
    )
    invoice_id = submitted.json()["invoice_id"]
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}")

    readers = {
        "author": Tenant(Role.GP, author.riziv),
        "another GP": Tenant(Role.GP, other.riziv),
        "an OCMW": Tenant(Role.OCMW, author.riziv),  # even with the author's number as subject
        "an operator": Tenant(Role.OPERATOR, "hziv-operator"),
        "the service": SERVICE,
    }
    try:
        async with database.reading() as session:
            found = {
                label: await repository.get_with_lines(session, invoice_id, tenant)
                for label, tenant in readers.items()
            }
            listed = {
                label: [
                    invoice.invoice_id
                    for invoice in await repository.list_for(
                        session, tenant, InvoiceCriteria(), offset=0, limit=10
                    )
                ]
                for label, tenant in readers.items()
            }
    finally:
        await database.dispose()

    assert {label for label, invoice in found.items() if invoice is not None} == {
        "author",
        "an operator",
        "the service",
    }
    assert listed == {
        "author": [invoice_id],
        "another GP": [],
        "an OCMW": [],
        "an operator": [invoice_id],
        "the service": [invoice_id],
    }
