"""Results files: bench/results/<UTC timestamp>.json, one per run, every figure in it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.paths import RESULTS
from bench.reporting.figures import Figure


@dataclass(frozen=True)
class Results:
    """One run: when, how (quick, profiled, parts), on what, and what it measured."""

    run: dict[str, Any]
    machine: dict[str, Any]
    figures: list[Figure]
    components: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None

    @property
    def comparable(self) -> bool:
        """A full-size run that no profiler slowed down: fit to be someone's "before"."""
        return not self.run.get("quick") and not self.run.get("profiled")

    def figure(self, key: str) -> Figure | None:
        return next((item for item in self.figures if item.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "machine": self.machine,
            "figures": [item.to_json() for item in self.figures],
            "components": self.components,
        }


def write(results: Results, stamp: str, directory: Path = RESULTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stamp}.json"
    path.write_text(json.dumps(results.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path


def read(path: Path) -> Results:
    data = json.loads(path.read_text())
    return Results(
        run=data["run"],
        machine=data["machine"],
        figures=[Figure.from_json(item) for item in data["figures"]],
        components=data.get("components", []),
        path=path,
    )


def history(directory: Path = RESULTS) -> list[Results]:
    """Every results file, oldest first (file names are UTC timestamps)."""
    return [read(path) for path in sorted(directory.glob("*.json"))]
