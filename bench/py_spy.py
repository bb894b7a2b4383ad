"""py-spy recording a running process into a flame graph, until the process exits or py-spy is
interrupted (it writes the graph either way). As root it may read any process."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import BinaryIO

from bench.paths import PY_SPY

SAMPLES_PER_SECOND = 100


async def record(pid: int, output: Path, log: BinaryIO) -> asyncio.subprocess.Process:
    output.parent.mkdir(parents=True, exist_ok=True)
    return await asyncio.create_subprocess_exec(
        str(PY_SPY),
        "record",
        f"--pid={pid}",
        f"--rate={SAMPLES_PER_SECOND}",
        "--format=flamegraph",
        f"--output={output}",
        "--nonblocking",
        stdout=log,
        stderr=log,
    )
