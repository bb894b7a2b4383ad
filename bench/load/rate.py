"""Runs the open-loop generator (bench.load.open_loop) in its own process and reads its report."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load.answers import LoadError, check_answers
from bench.load.requests import HttpRequest, write_raw
from bench.paths import ROOT
from bench.stack.neighbours import watched


@dataclass(frozen=True)
class OpenLoopResult:
    rate: float
    counted: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    worst_start_lag_ms: float
    bodies: list[Any]
    others_cpu_percent: float

    def summary(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "requests_counted": self.counted,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "statuses": self.statuses,
            "generator_worst_start_lag_ms": self.worst_start_lag_ms,
            "other_processes_cpu_percent": self.others_cpu_percent,
        }

    def check(self, *accepted: int) -> None:
        check_answers(self.statuses, accepted)


async def open_loop(
    url: str,
    requests: list[HttpRequest],
    *,
    rate: float,
    seconds: float,
    warmup: float,
    workdir: Path,
    name: str,
    keep_bodies: bool = False,
) -> OpenLoopResult:
    requests_file, output = workdir / f"{name}.requests", workdir / f"{name}.open-loop.json"
    write_raw(
        requests_file, requests[: round(rate * (seconds + warmup))], url.removeprefix("http://")
    )
    command = [
        sys.executable,
        "-m",
        "bench.load.open_loop",
        f"--url={url}",
        f"--requests={requests_file}",
        f"--rate={rate}",
        f"--seconds={seconds}",
        f"--warmup={warmup}",
        f"--output={output}",
    ]
    if keep_bodies:
        command.append("--keep-bodies")
    async with watched() as others:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, stderr=asyncio.subprocess.PIPE
        )
        _out, err = await process.communicate()
    requests_file.unlink(missing_ok=True)
    if process.returncode != 0:
        raise LoadError(f"open-loop generator failed: {err.decode(errors='replace')}")
    report = json.loads(output.read_text())
    return OpenLoopResult(
        rate=report["rate"],
        counted=report["counted"],
        p50_ms=report["p50_ms"],
        p95_ms=report["p95_ms"],
        p99_ms=report["p99_ms"],
        max_ms=report["max_ms"],
        statuses=report["statuses"],
        worst_start_lag_ms=report["worst_start_lag_ms"],
        bodies=report["bodies"],
        others_cpu_percent=others.percent,
    )
