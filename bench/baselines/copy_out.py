"""The database floor of a settlement run: PostgreSQL writing the month's lines, sorted as the
files are, with `COPY (…) TO STDOUT`, streamed to nowhere. A process of its own, so that its
peak memory can be read as the settlement process's is.

usage: python -m bench.baselines.copy_out --dsn postgresql://… --query "SELECT …"
prints {"seconds": …, "bytes": …}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import asyncpg


async def copy_out(dsn: str, query: str) -> tuple[float, int]:
    connection = await asyncpg.connect(dsn)
    written = 0

    async def sink(chunk: bytes) -> None:
        nonlocal written
        written += len(chunk)

    try:
        started = time.perf_counter()
        await connection.copy_from_query(query, output=sink, format="csv")
        return time.perf_counter() - started, written
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--query", required=True)
    args = parser.parse_args()
    seconds, written = asyncio.run(copy_out(args.dsn, args.query))
    print(json.dumps({"seconds": seconds, "bytes": written}))


if __name__ == "__main__":
    main()
