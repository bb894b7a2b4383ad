"""The ledger and the settlements of the walking skeleton survive revisions 5e7700000002 and
5e7700000003."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.testing import move_to_revision
from settlement.main import service
from settlement.settlements import service as settlements

_OLD_LINE = (
    "INSERT INTO ledger_lines (month, paid_at, payment_reference, invoice_id, line_number, "
    "provider, ssin, ocmw, decision_number, version, urgent_medical_aid, code, date_of_care, "
    "state_share, ocmw_share, patient_share) VALUES ('2025-10', '2025-10-15 10:00:00', 'pay-1', "
    "'inv-1', 1, '10000000001', '85000000001', '0200000001', '123456', 1, 1, '101076', "
    "'2025-10-01', 2600, 400, 0)"
)
_OLD_SETTLEMENT = (
    "INSERT INTO settlements (settlement_id, month, status, computed_at, totals, per_ocmw) VALUES "
    "('s-1', '2025-09', 'open', '2025-10-01 00:00:00', "
    '\'{"state_share": "26.00", "ocmw_share": "4.00", "patient_share": "0.00", "lines": 1, '
    '"invoices": 1}\', \'[{"enterprise_number": "0200000001", "state_share": "26.00", '
    '"ocmw_share": "4.00", "patient_share": "0.00", "lines": 1, "invoices": 1}]\')'
)


async def test_s01_skeleton_lines_and_settlements_read_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "settlement.db"
    database = Database(f"sqlite+aiosqlite:///{path}")

    await move_to_revision(service, database, "5e7700000001")
    with sqlite3.connect(path) as raw:
        raw.execute(_OLD_LINE)
        raw.execute(_OLD_SETTLEMENT)
    await upgrade(database.engine, service.migrations)

    async with database.transaction() as session:
        await settlements.run_month(session, month="2025-10")
        old = await settlements.get_settlement(session, settlement_id="s-1")
    with sqlite3.connect(path) as raw:
        booked = raw.execute(
            "SELECT kind, booking_reference, booked_at FROM ledger_lines"
        ).fetchone()
    await database.dispose()

    assert str(old.totals.total) == "30.00"
    assert old.per_ocmw[0].name == "OCMW/CPAS 0200000001"
    assert booked == ("paid", "pay-1", "2025-10-15 10:00:00")


_LINE_AT_0002 = (
    "INSERT INTO ledger_lines (month, kind, booked_at, booking_reference, payment_reference, "
    "invoice_id, line_number, provider, ssin, ocmw, decision_number, version, urgent_medical_aid, "
    "code, date_of_care, state_share, ocmw_share, patient_share) VALUES ('2025-09', 'paid', "
    "'2025-09-15 10:00:00', 'pay-1', 'pay-1', 'inv-1', 1, '10000000001', '85000000001', "
    "'0200000001', '123456', 1, 1, '101076', '2025-09-01', 2600, 400, 0)"
)
_CLOSED_SETTLEMENT_AT_0002 = (
    "INSERT INTO settlements (settlement_id, month, status, computed_at, closed_at, totals, "
    "per_ocmw, ledger_watermark, file_checksums) VALUES ('s-1', '2025-09', 'closed', "
    "'2025-10-01 00:00:00', '2025-10-01 00:00:00', '{}', '[]', 1, '{}')"
)


async def test_s04_months_closed_before_5e7700000003_keep_layout_1_and_lines_name_no_person(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settlement.db"
    database = Database(f"sqlite+aiosqlite:///{path}")

    await move_to_revision(service, database, "5e7700000002")
    with sqlite3.connect(path) as raw:
        raw.execute(_LINE_AT_0002)
        raw.execute(_CLOSED_SETTLEMENT_AT_0002)
    await move_to_revision(service, database, "5e7700000003")
    with sqlite3.connect(path) as raw:
        person = raw.execute("SELECT person_id FROM ledger_lines").fetchone()
        layout = raw.execute("SELECT status, file_layout FROM settlements").fetchone()
    await move_to_revision(service, database, "5e7700000002", down=True)
    await move_to_revision(service, database, "5e7700000003")
    await database.dispose()

    assert person == (None,)
    assert layout == ("closed", 1)
