"""One measured figure beside its baseline measured in the same run, and the issue's target."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Comparison = Literal["at_least", "at_most"]


@dataclass(frozen=True)
class Baseline:
    name: str
    value: float
    unit: str


@dataclass(frozen=True)
class Target:
    """`value` compared with `threshold`, or, with `of_baseline`, the ratio to the baseline."""

    text: str
    comparison: Comparison
    threshold: float
    of_baseline: bool = False

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        if value is None:
            return False  # not measurable: the load was more than the platform could take
        measured = ratio if self.of_baseline else value
        if measured is None:
            return None
        if self.comparison == "at_least":
            return measured >= self.threshold
        return measured <= self.threshold


@dataclass(frozen=True)
class Figure:
    """`key` names the figure across runs (BENCHMARKS.md's before and after are joined on it).

    `value` is None when the figure cannot be had: the load asked for (e.g. 200 requests/s)
    is more than the platform serves, so latencies grow for as long as the load lasts; `note`
    then says why."""

    key: str
    benchmark: str  # B1 … B5, idle
    setup: str  # "embedded", "postgres+kafka", or "" when the figure has no setup
    what: str
    value: float | None
    unit: str
    baseline: Baseline
    target: Target | None = None
    also: list[Baseline] = field(default_factory=list)  # other baselines of the same run
    details: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline.value:
            return None
        return self.value / self.baseline.value

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value, self.ratio) if self.target else None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        target = data.get("target")
        return cls(
            key=data["key"],
            benchmark=data["benchmark"],
            setup=data["setup"],
            what=data["what"],
            value=data["value"],
            unit=data["unit"],
            baseline=Baseline(**data["baseline"]),
            target=Target(**target) if target else None,
            also=[Baseline(**item) for item in data.get("also", [])],
            details=data.get("details", {}),
            note=data.get("note", ""),
        )

    def line(self) -> str:
        """One line for the terminal."""
        ratio = f"{self.ratio:.3g}" if self.ratio is not None else "-"
        verdict = {True: "met", False: "NOT met", None: ""}[self.met]
        target = f"   target {self.target.text}: {verdict}" if self.target else ""
        value = _number(self.value) if self.value is not None else f"{'saturated':>10}"
        note = f"   ({self.note})" if self.note else ""
        return (
            f"{self.benchmark:<5} {self.setup:<15} {self.what:<58} {value} "
            f"{self.unit:<12} {ratio:>7} x {self.baseline.name} "
            f"({_number(self.baseline.value)} {self.baseline.unit}){target}{note}"
        )


def saturated(capacity: float, rate: float, unit: str) -> str:
    """The note of a latency not measured because the rate asked is beyond the capacity."""
    return (
        f"not measured: the closed loop got {capacity:,.0f} {unit}, less than the {rate:,.0f} "
        f"{unit} asked, so at that rate the queue and every latency grow for as long as the "
        "load lasts"
    )


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:>10,.0f}"
    return f"{value:>10.3g}"
