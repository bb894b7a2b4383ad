"""Closed loop: wrk (its own process, C, one thread, 32 connections) sending a file of requests."""

from __future__ import annotations

import asyncio
import json
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.load.answers import LoadError, check_answers
from bench.load.requests import HttpRequest, write_raw
from bench.paths import ROOT
from bench.stack.neighbours import watched

WRK_SH = ROOT / "deploy" / "local" / "wrk.sh"
SCRIPT = Path(__file__).with_name("requests.lua")
THREADS, CONNECTIONS = 1, 32
# wrk's default of 2 s would count today's slowest answers as errors and cut p99 at 2 s
TIMEOUT = "10s"


@dataclass(frozen=True)
class ClosedLoopResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    errors: dict[str, int]
    wrapped: int
    others_cpu_percent: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "statuses": self.statuses,
            "errors": self.errors,
            "other_processes_cpu_percent": self.others_cpu_percent,
        }

    def check(self, *accepted: int, repeats_allowed: bool = False) -> None:
        """No request refused; unless `repeats_allowed`, none sent twice for want of requests
        in the file (B4: the same decision twice would be refused)."""
        check_answers(self.statuses, accepted)
        if self.wrapped and not repeats_allowed:
            raise LoadError(f"wrk ran through its {self.wrapped} requests file: make it longer")


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian packages by deploy/local/wrk.sh when missing."""
    found = subprocess.run(  # noqa: S603
        [str(WRK_SH), "ensure"], capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        raise LoadError(f"wrk is not available: {found.stderr.strip()}")
    return found.stdout.strip().splitlines()[-1]


def wrk_version(wrk: str) -> str:
    answer = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    # "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
    return " ".join((answer.stdout or answer.stderr).split()[:2])


async def closed_loop(
    wrk: str,
    url: str,
    requests: list[HttpRequest],
    *,
    seconds: float,
    workdir: Path,
    name: str,
) -> ClosedLoopResult:
    """`requests` are sent in order, each once (wrk reports when it had to repeat them)."""
    host = url.removeprefix("http://")
    requests_file = workdir / f"{name}.requests"
    write_raw(requests_file, requests, host)
    async with watched() as others:
        process = await asyncio.create_subprocess_exec(
            wrk,
            f"--threads={THREADS}",
            f"--connections={CONNECTIONS}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={TIMEOUT}",
            f"--script={SCRIPT}",
            url,
            "--",
            str(requests_file),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
    requests_file.unlink(missing_ok=True)
    (workdir / f"{name}.wrk.txt").write_bytes(out + err)
    if process.returncode != 0:
        raise LoadError(f"wrk failed ({process.returncode}): {err.decode(errors='replace')}")
    return replace(_parse(out.decode()), others_cpu_percent=others.percent)


def _parse(output: str) -> ClosedLoopResult:
    for line in output.splitlines():
        if line.startswith('{"bench"'):
            report = json.loads(line)["bench"]
            latency = report["latency_us"]
            return ClosedLoopResult(
                requests=report["requests"],
                seconds=report["duration_us"] / 1e6,
                p50_ms=latency["p50"] / 1000,
                p90_ms=latency["p90"] / 1000,
                p99_ms=latency["p99"] / 1000,
                max_ms=latency["max"] / 1000,
                statuses=report["statuses"],
                errors=report["errors"],
                wrapped=report["wrapped"],
            )
    raise LoadError(f"no report in wrk's output:\n{output}")
