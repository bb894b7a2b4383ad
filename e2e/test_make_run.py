"""`make run` as a user gets it: five processes from the Procfile, one SQLite event log."""

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from e2e.local_platform import free_port_offset, local_actors, local_clients, wait_until_ready
from e2e.walkthrough import walk_invoice_through
from servicekit.localkeys import ensure_local_keys

ROOT = Path(__file__).resolve().parents[1]
READY_WITHIN_SECONDS = 60


@pytest.mark.e2e
async def test_the_procfile_platform_is_ready_and_carries_an_invoice_to_settlement(
    tmp_path: Path,
) -> None:
    offset = free_port_offset()
    env = {**os.environ, "MEDIPRIMA_VAR_DIR": str(tmp_path), "MEDIPRIMA_PORT_OFFSET": str(offset)}
    ensure_local_keys(tmp_path / "keys")
    honcho = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "honcho", "start", "-f", "deploy/local/Procfile"),
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "platform.log").open("w"),
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        async with local_clients(offset) as clients:
            seconds = await wait_until_ready(clients, patience=READY_WITHIN_SECONDS)
            print(f"all five services ready after {seconds:.1f}s")
            result = await walk_invoice_through(
                clients, local_actors(tmp_path), today=datetime.now(UTC).date()
            )
        assert result.settlement["totals"]["lines"] == 1
        assert result.paid_amount > 0
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        await asyncio.wait_for(honcho.wait(), timeout=30)
