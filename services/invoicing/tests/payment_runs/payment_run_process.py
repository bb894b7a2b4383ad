"""A payment run in its own process, so a test can kill it for real at a chosen point.

Usage: payment_run_process.py <database_url> <crash_at>, where crash_at is `never` or
`<stage>:<n>` (stage `claimed`: the n-th provider's lines claimed, not yet committed;
`committed`: the n-th provider's payment committed).
"""

import asyncio
import os
import signal
import sys

from invoicing.payments.service import run_payments
from servicekit.db import Database


async def main(database_url: str, crash_at: str) -> None:
    database = Database(database_url)

    async def crash(stage: str, count: int) -> None:
        if crash_at == f"{stage}:{count}":
            os.kill(os.getpid(), signal.SIGKILL)

    try:
        await run_payments(database, checkpoint=crash)
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
