"""`make demo`: walk one invoice from an OCMW decision to the month's settlement total,
against the platform `make run` started, printing every step."""

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from e2e.local_platform import local_actors, local_clients, wait_until_ready  # noqa: E402
from e2e.walkthrough import walk_invoice_through  # noqa: E402


async def main() -> None:
    var_dir = Path(os.environ.get("MEDIPRIMA_VAR_DIR", ROOT / ".var"))
    async with local_clients() as clients:
        try:
            await wait_until_ready(clients, patience=10)
        except TimeoutError as error:
            sys.exit(f"The platform is not running ({error}). Start it with `make run`.")
        result = await walk_invoice_through(
            clients, local_actors(var_dir), today=datetime.now(UTC).date(), say=print
        )
    print(f"Done: invoice {result.invoice_id} paid {result.paid_amount}, settled.")


if __name__ == "__main__":
    asyncio.run(main())
