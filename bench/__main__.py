"""`make bench`: every bench/bench_*.py module's `measure()`, printed as ratios."""

import asyncio
import importlib
import pkgutil
import sys

import bench
from servicekit.logging import configure_logging


async def main(selected: list[str]) -> None:
    configure_logging(service="bench", level="WARNING")
    for module_info in pkgutil.iter_modules(bench.__path__):
        if not module_info.name.startswith("bench_"):
            continue
        if selected and module_info.name not in selected:
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        print(f"== {module_info.name}: {module.__doc__.strip().splitlines()[0]}")
        for measurement in await module.measure():
            print(measurement.line())


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
