"""A short-lived child process timed from start to exit, with its peak memory.

The peak is the kernel's high-water mark of the process's resident set (VmHWM in
/proc/<pid>/status), read every 20 ms while it runs; the last reading before it exits is its
peak. (`wait4`'s ru_maxrss would also count the parent's memory the child had at fork.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bench import py_spy

POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Finished:
    returncode: int
    seconds: float
    peak_rss_mb: float
    output: str


async def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    log_path: Path,
    cwd: Path | None = None,
    flame_graph: Path | None = None,
) -> Finished:
    """With `flame_graph`, py-spy records the child from outside (its memory stays its own)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w+b") as log:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command, env=dict(env), cwd=cwd, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        recorder = await py_spy.record(process.pid, flame_graph, log) if flame_graph else None
        peak_kib = 0
        try:
            while process.returncode is None:
                peak_kib = max(peak_kib, _high_water_kib(process.pid))
                with suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), POLL_SECONDS)
        except BaseException:
            process.kill()
            await process.wait()
            raise
        seconds = time.perf_counter() - started
        if recorder is not None:
            await recorder.wait()  # py-spy writes the flame graph once its target has exited
        log.seek(0)
        output = log.read().decode(errors="replace")
    assert process.returncode is not None
    return Finished(process.returncode, seconds, peak_kib / 1024, output)


def _high_water_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
