"""S-02: the ledger's reads take whose lines they are for: an OCMW's statement reads that OCMW's
lines only, whatever the caller of the repository asks, and a role the ledger names no owner for
reads nothing."""

from __future__ import annotations

from pathlib import Path

from mediprima_contracts.testing import random_enterprise_number
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import SERVICE, Tenant
from servicekit.testing import migrate
from settlement.ledger.models import LedgerLine
from settlement.main import service
from settlement.settlements import repository

from .test_settlement_line_sql import MONTH, _line


async def test_s02_a_repository_read_for_another_ocmw_gets_none_of_its_lines(
    tmp_path: Path,
) -> None:
    ours, theirs = str(random_enterprise_number()), str(random_enterprise_number())
    url = f"sqlite+aiosqlite:///{tmp_path / 'settlement.db'}"
    await migrate(service, url)
    database = Database(url)
    try:
        async with database.transaction() as session:
            await session.execute(
                LedgerLine.__table__.insert(),
                [_line(1, ocmw=ours), _line(2, ocmw=ours), _line(3, ocmw=theirs)],
            )
        async with database.reading() as session:
            watermark = await repository.ledger_watermark(session)

            async def lines_for(tenant: Tenant) -> list[str]:
                return [
                    row.invoice_id
                    for batch in [
                        b
                        async for b in repository.stream_lines(
                            session, MONTH, watermark, tenant=tenant
                        )
                    ]
                    for row in batch
                ]

            as_ours = await lines_for(Tenant(Role.OCMW, ours))
            as_a_stranger = await lines_for(Tenant(Role.OCMW, str(random_enterprise_number())))
            as_a_gp = await lines_for(Tenant(Role.GP, "10000000001"))
            as_the_service = await lines_for(SERVICE)
            sums = await repository.sums_per(
                session, MONTH, watermark, LedgerLine.ocmw, tenant=Tenant(Role.OCMW, theirs)
            )
    finally:
        await database.dispose()

    assert sorted(as_ours) == ["inv-1", "inv-2"]
    assert as_a_stranger == []
    assert as_a_gp == []
    assert sorted(as_the_service) == ["inv-1", "inv-2", "inv-3"]
    assert [key for key, _sums in sums] == [(theirs,)]
