"""Open loop: requests sent at a fixed rate, whatever the server does, from a process of its own.

Request i is due at start + i / rate. Its latency runs from that due time, not from when it
could actually be sent, so a server that falls behind shows its queue in the figures instead of
slowing the generator down (no coordinated omission). The first `--warmup` seconds are sent but
not counted (connections opening). Requests come from a file of raw HTTP requests separated by
NUL bytes, the one wrk reads (bench/load/requests.py).

usage: python -m bench.load.open_loop --url URL --requests FILE --rate N --seconds S
           [--warmup S] [--keep-bodies] --output RESULT.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvloop

from bench.load.raw_http import Pool
from bench.stats import percentile

MAX_CONNECTIONS = 512
TIMEOUT_SECONDS = 120.0  # an overloaded server still answers, late; beyond this, no answer


@dataclass
class Sent:
    due: float  # seconds after the start
    latency_ms: float = -1.0
    status: int = 0  # 0: no answer (connection error or timeout)
    body: Any = None


async def run(
    url: str, requests: list[bytes], *, rate: float, keep_bodies: bool
) -> tuple[list[Sent], float]:
    address = urlsplit(url)
    assert address.hostname is not None
    assert address.port is not None
    pool = Pool(address.hostname, address.port, MAX_CONNECTIONS)
    # perf_counter, not loop.time(): uvloop's clock moves in milliseconds
    start = time.perf_counter() + 0.05
    sent = [Sent(due=index / rate) for index in range(len(requests))]
    tasks = []
    worst_start_lag = 0.0
    try:
        for index, request in enumerate(requests):
            due = start + sent[index].due
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            worst_start_lag = max(worst_start_lag, time.perf_counter() - due)
            tasks.append(asyncio.create_task(_send(pool, request, sent[index], due, keep_bodies)))
        await asyncio.gather(*tasks)
    finally:
        pool.close()
    return sent, worst_start_lag


async def _send(pool: Pool, request: bytes, record: Sent, due: float, keep: bool) -> None:
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            answer = await pool.exchange(request)
        record.status = answer.status
        if keep:
            record.body = json.loads(answer.body)
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
        record.status = 0
    record.latency_ms = (time.perf_counter() - due) * 1000


def summarise(sent: list[Sent], *, warmup: float, rate: float, start_lag: float) -> dict[str, Any]:
    counted = [record for record in sent if record.due >= warmup]
    latencies = sorted(record.latency_ms for record in counted)
    statuses: dict[str, int] = {}
    for record in counted:
        statuses[str(record.status)] = statuses.get(str(record.status), 0) + 1
    return {
        "rate": rate,
        "sent": len(sent),
        "counted": len(counted),
        "p50_ms": _percentile(latencies, 50),
        "p90_ms": _percentile(latencies, 90),
        "p95_ms": _percentile(latencies, 95),
        "p99_ms": _percentile(latencies, 99),
        "max_ms": latencies[-1] if latencies else None,
        "statuses": statuses,
        "worst_start_lag_ms": round(start_lag * 1000, 2),
        # every answer, warm-up included, in the order sent (kept only when asked)
        "bodies": [record.body for record in sent if record.body is not None],
    }


def _percentile(ordered: list[float], pct: float) -> float | None:
    return round(percentile(ordered, pct), 3) if ordered else None


def read_requests(path: Path, count: int) -> list[bytes]:
    requests = path.read_bytes().split(b"\0")[:-1]
    if count > len(requests):
        raise SystemExit(f"{path} has {len(requests)} requests, {count} are needed")
    return requests[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=0.0)
    parser.add_argument("--keep-bodies", action="store_true")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    requests = read_requests(args.requests, round(args.rate * (args.seconds + args.warmup)))
    sent, start_lag = uvloop.run(
        run(args.url, requests, rate=args.rate, keep_bodies=args.keep_bodies)
    )
    report = summarise(sent, warmup=args.warmup, rate=args.rate, start_lag=start_lag)
    args.output.write_text(json.dumps(report))


if __name__ == "__main__":
    main()
