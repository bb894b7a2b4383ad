"""`make bench`: issue 12's figures (B1 to B5, idle) against baselines measured in the same run,
then the per-component benches; writes bench/results/<UTC timestamp>.json and BENCHMARKS.md.

usage: python -m bench [PART ...] [--quick] [--profile] [--before RESULTS.json]
  PART: b1 b2 b3 b4 b5 idle, or a per-component module (bench_event_path, …); all by default
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import components, platform_parts
from bench.context import Run
from bench.load.wrk import ensure_wrk, wrk_version
from bench.paths import BENCHMARKS_MD, RESULTS, ROOT
from bench.reporting import markdown, store
from bench.reporting.machine import describe, load_average
from bench.reporting.store import Results
from bench.sizes import QUICK, Sizes
from bench.stack.versions import kafka_version, postgres_version
from bench.tokens import Tokens
from servicekit.logging import configure_logging


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", metavar="PART")
    parser.add_argument("--quick", action="store_true", help="small data, short loads")
    parser.add_argument("--profile", action="store_true", help="py-spy flame graphs")
    parser.add_argument("--before", type=Path, help="the results file to show as before")
    arguments = parser.parse_args()
    known = set(platform_parts.PARTS) | set(components.names())
    unknown = [part for part in arguments.parts if part not in known]
    if unknown:
        parser.error(f"unknown part(s) {unknown}; known: {', '.join(sorted(known))}")
    return arguments


async def main(arguments: argparse.Namespace) -> int:
    configure_logging(service="bench", level="WARNING")
    chosen = arguments.parts or [*platform_parts.PARTS, *components.names()]
    parts = {part for part in chosen if part in platform_parts.PARTS}
    modules = [name for name in components.names() if name in chosen]
    sizes = QUICK if arguments.quick else Sizes()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    workdir = ROOT / ".var" / "bench" / stamp
    started = time.perf_counter()
    run = Run(
        sizes=sizes,
        workdir=workdir,
        tokens=Tokens.create(workdir / "keys"),
        wrk=ensure_wrk() if parts else "",
        profiles=RESULTS / "profiles" / stamp if arguments.profile else None,
    )
    machine = describe(
        postgres=await postgres_version() if parts else None,
        kafka=kafka_version() if parts else None,
        wrk=wrk_version(run.wrk) if run.wrk else None,
    )
    print(f"make bench: {', '.join(sorted(parts) + modules)}; working in {workdir}", flush=True)
    try:
        await platform_parts.measure(run, parts)
        measured_components = await components.measure(modules, sizes)
    except BaseException:
        print(f"make bench: failed; logs kept in {workdir / 'logs'}", file=sys.stderr)
        raise
    results = Results(
        run={
            "started_at": stamp,
            "duration_seconds": round(time.perf_counter() - started, 1),
            "parts": sorted(parts) + modules,
            "quick": arguments.quick,
            "profiled": arguments.profile,
            "sizes": asdict(sizes),
        },
        machine=machine | {"load_average_at_end": load_average()},
        figures=run.figures,
        components=measured_components,
    )
    path = store.write(results, stamp)
    print(f"results: {path.relative_to(ROOT)}")
    if results.comparable and run.figures:
        before = store.read(arguments.before) if arguments.before else None
        previous = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else ""
        BENCHMARKS_MD.write_text(
            markdown.render(store.history(), before=before, previous_text=previous)
        )
        print(f"written: {BENCHMARKS_MD.relative_to(ROOT)}")
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"make bench: done in {time.perf_counter() - started:.0f} s")
    return 0


def _run(arguments: argparse.Namespace) -> int:
    """TERM (from with-infra.sh, or a CI timeout) unwinds like Ctrl-C: every server started
    is stopped on the way out."""

    async def guarded() -> int:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await main(arguments)

    try:
        return asyncio.run(guarded())
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("make bench: interrupted; every server it started is stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(_run(_arguments()))
