"""Benchmark results as ratios against a baseline measured in the same run (never absolutes
compared across machines)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    name: str
    per_second: float
    baseline_name: str
    baseline_per_second: float

    @property
    def ratio(self) -> float:
        return self.per_second / self.baseline_per_second

    def line(self) -> str:
        return (
            f"{self.name:<48} {self.per_second:>10.0f}/s   "
            f"{self.ratio:>6.2f} x {self.baseline_name} ({self.baseline_per_second:.0f}/s)"
        )
