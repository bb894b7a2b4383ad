"""The per-component benches (bench/bench_*.py): each module's `measure()`, in-process, with
ratios to its own baseline. `make bench` runs them after the platform's figures."""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any

import bench
from bench.sizes import Sizes


def names() -> list[str]:
    return [
        info.name for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("bench_")
    ]


async def measure(selected: list[str], sizes: Sizes) -> list[dict[str, Any]]:
    # the modules read their sizes from the environment when imported
    os.environ.update(dict(sizes.component_env))
    measured = []
    for name in selected:
        module = importlib.import_module(f"bench.{name}")
        title = (module.__doc__ or name).strip().splitlines()[0]
        print(f"== {name}: {title}", flush=True)
        lines = []
        for measurement in await module.measure():
            lines.append(measurement.line())
            print(lines[-1], flush=True)
        measured.append({"module": name, "title": title, "lines": lines})
    return measured
