"""`make run` as a user gets it: five processes and the console from the Procfile, one SQLite
event log."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from e2e.local_platform import (
    free_port_offset,
    local_actors,
    local_clients,
    procfile_platform,
    wait_until_ready,
)
from e2e.walkthrough import walk_invoice_through

READY_WITHIN_SECONDS = 60


@pytest.mark.e2e
async def test_the_procfile_platform_is_ready_and_carries_an_invoice_to_settlement(
    tmp_path: Path,
) -> None:
    offset = free_port_offset()
    async with procfile_platform(tmp_path, offset), local_clients(offset) as clients:
        seconds = await wait_until_ready(clients, patience=READY_WITHIN_SECONDS)
        print(f"all five services and the console ready after {seconds:.1f}s")
        result = await walk_invoice_through(
            clients, local_actors(tmp_path), today=datetime.now(UTC).date()
        )
    assert result.settlement["totals"]["lines"] == 1
    assert result.paid_amount > 0
