"""A consumer-group member in its own process, so a test can kill -9 it before it commits.

argv: backend, address, group, topic, records to fetch, how many of them to commit.
Prints the offsets it fetched as one JSON line, then waits to be killed.
"""

import asyncio
import json
import sys

from servicekit.bus.api import Record

from .support import Backend, drain, make_test_bus


async def main(
    backend: Backend, address: str, group: str, topic: str, fetch: int, commit: int
) -> None:
    bus = make_test_bus(backend, address)
    await bus.start()
    subscription = bus.subscribe(group=group, topics=[topic])
    await subscription.start()
    records: list[Record] = await drain(subscription, fetch, commit=False)
    if commit:
        await subscription.commit(records[commit - 1])
    print(json.dumps([record.offset for record in records]), flush=True)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    backend, address, group, topic, fetch, commit = sys.argv[1:]
    asyncio.run(main(backend, address, group, topic, int(fetch), int(commit)))  # type: ignore[arg-type]
