"""A relay in its own process, so a test can kill it for real at a chosen point."""

import asyncio
import os
import signal
import sys

from servicekit.bus.factory import build_bus
from servicekit.db import Database
from servicekit.messaging.relay import OutboxRelay
from servicekit.namespace import NamespacedBus


async def main(
    database_url: str, bus_kind: str, bus_address: str, prefix: str, crash_at: str
) -> None:
    database = Database(database_url)
    inner = build_bus(
        bus_kind,  # type: ignore[arg-type]
        sql_url=bus_address,
        bootstrap_servers=bus_address,
        partitions=3,
    )
    bus = NamespacedBus(inner, prefix)
    await bus.start()

    async def crash(stage: str, _count: int) -> None:
        if stage == crash_at:
            os.kill(os.getpid(), signal.SIGKILL)

    relay = OutboxRelay(
        database=database,
        bus=bus,
        batch_size=5,
        checkpoint=crash,
    )
    while await relay.publish_pending():
        pass
    await bus.close()
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
