"""BENCHMARKS.md, regenerated from the results files after every full-size run.

"now" is each figure's latest full-size measurement, "before" the one in the results file
given with --before, or else the full-size run before it. Text between the analysis markers is
written by people (what limits a missed target, what would move it) and kept as it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.reporting.figures import Figure
from bench.reporting.store import Results

ANALYSIS_BEGIN = "<!-- analysis: kept by make bench, edit freely -->"
ANALYSIS_END = "<!-- end of analysis -->"
ORDER = ("B1", "B2", "B3", "B4", "B5", "idle")
TIMES = "\u00d7"


@dataclass(frozen=True)
class Row:
    now: Figure
    now_run: Results
    before: Figure | None
    before_run: Results | None


def rows(history: Sequence[Results], before: Results | None) -> list[Row]:
    runs = [item for item in history if item.comparable]
    keys: dict[str, None] = {}
    for results in runs:
        for figure in results.figures:
            keys.setdefault(figure.key)
    found = []
    for key in keys:
        holding = [results for results in runs if results.figure(key)]
        now_run = holding[-1]
        if before is not None:
            before_run: Results | None = before if before.figure(key) else None
        else:
            before_run = holding[-2] if len(holding) > 1 else None
        now = now_run.figure(key)
        assert now is not None
        found.append(Row(now, now_run, before_run.figure(key) if before_run else None, before_run))
    return sorted(found, key=lambda row: (ORDER.index(row.now.benchmark), _setup_order(row.now)))


def _setup_order(figure: Figure) -> tuple[int, str]:
    return (0 if figure.setup == "embedded" else 1, figure.key)


def render(history: Sequence[Results], *, before: Results | None, previous_text: str) -> str:
    table = rows(history, before)
    latest = max((row.now_run for row in table), key=_stamp)
    parts = [
        "# Benchmarks",
        "",
        "Issue 12's figures, measured by `make bench` on this machine. Each figure stands beside a "
        "baseline measured **in the same run** (the ratio is figure / baseline); the targets are "
        "the issue's (item 3). *Before* is the previous full-size run (or the one given with "
        "`--before`), *now* the latest. This file is written by `make bench`; only the analysis "
        "section below is edited by hand.",
        "",
        *_machine(latest),
        "",
        "## Figures",
        "",
        "| | setup | what | before | now | baseline, same run | ratio | target | met |",
        "|---|---|---|---:|---:|---|---:|---|---|",
        *(_row(row, latest) for row in table),
        "",
        *_footnotes(table, latest),
        "### Details",
        "",
        *(_details(row.now) for row in table),
        "",
        *_components(latest),
        *_analysis(previous_text),
        "",
        *_how_to_run(),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _stamp(results: Results) -> str:
    return str(results.run.get("started_at", ""))


def _machine(results: Results) -> list[str]:
    machine, run = results.machine, results.run
    packages = ", ".join(
        f"{name} {version}" for name, version in machine["packages"].items() if version
    )
    return [
        "## Machine and versions (latest run)",
        "",
        f"- {machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, "
        f"{machine['os']} (Linux {machine['kernel']}), Python {machine['python']}",
        f"- PostgreSQL {machine.get('postgresql') or '?'}, Kafka {machine.get('kafka') or '?'}, "
        f"{machine.get('wrk') or 'wrk ?'}",
        f"- {packages}",
        f"- commit `{machine['git_commit'][:12]}`{_dirty(machine)}, "
        f"run {run['started_at']} ({run['duration_seconds']:.0f} s in all), load average at "
        f"start {', '.join(str(value) for value in machine['load_average_at_start'])}",
        f"- results: `bench/results/{Path(str(results.path)).name}`",
    ]


def _dirty(machine: dict[str, object]) -> str:
    return " (with local changes)" if machine["git_dirty"] else ""


def _row(row: Row, latest: Results) -> str:
    figure = row.now
    also = "".join(f"; {item.name} {_value(item.value)} {item.unit}" for item in figure.also)
    also_ratios = "".join(
        f" ({figure.value / item.value:.3g} {TIMES} {item.name})"
        for item in figure.also
        if item.value and figure.value is not None
    )
    marker = "" if row.now_run is latest else " †"
    met = {True: "**met**", False: "not met", None: "—"}[figure.met]
    return (
        f"| {figure.benchmark} | {figure.setup or '—'} | {figure.what} | {_before(row)} | "
        f"{_figure(figure)}{marker} | {figure.baseline.name} "
        f"{_value(figure.baseline.value)} {figure.baseline.unit}{also} | "
        f"{_ratio(figure.ratio)}{also_ratios} | {_target(figure)} | "
        f"{met} |"
    )


def _before(row: Row) -> str:
    if row.before is None:
        return "—"
    return f"{_figure(row.before)} ({_ratio(row.before.ratio)})"


def _footnotes(table: list[Row], latest: Results) -> list[str]:
    older = sorted({_stamp(row.now_run) for row in table if row.now_run is not latest})
    if not older:
        return []
    return [f"† not measured in the latest run; from the run of {', '.join(older)}.", ""]


def _details(figure: Figure) -> str:
    measured = figure.details.get("measured", {})
    extra = {
        name: value
        for name, value in figure.details.items()
        if name not in {"measured", "hello", "lean_floor"}
    }
    text = _facts({**measured, **extra})
    if figure.note:
        text = f"{figure.note}. {text}".rstrip(". ") + "."
    return f"- **{figure.benchmark} {figure.setup}** {figure.what}: {text or '—'}"


def _facts(facts: dict[str, object], *, nested: bool = False) -> str:
    """`{"p50_ms": 327.4, "errors": {"timeout": 1}}` as `p50 327 ms, errors (timeout 1)`."""
    shown = []
    for name, value in facts.items():
        if value in (None, {}, []) or (isinstance(value, dict) and not any(value.values())):
            continue
        if nested and value == 0:
            continue
        label, unit = name, ""
        for suffix, text in (
            ("_ms", " ms"),
            ("_percent", " %"),
            ("_seconds", " s"),
            ("_mb", " MB"),
        ):
            if name.endswith(suffix):
                label, unit = name.removesuffix(suffix), text
        label = label.replace("_", " ")
        if isinstance(value, dict):
            shown.append(f"{label} ({_facts(value, nested=True)})")
        elif isinstance(value, float):
            shown.append(f"{label} {_value(value)}{unit}")
        else:
            shown.append(f"{label} {value}{unit}")
    return ", ".join(shown)


def _components(results: Results) -> list[str]:
    if not results.components:
        return []
    lines = ["## Per-component benches (same run)", "", "```"]
    for component in results.components:
        lines.append(f"== {component['module']}: {component['title']}")
        lines.extend(component["lines"])
    return [*lines, "```", ""]


def _analysis(previous_text: str) -> list[str]:
    kept = "Nothing written yet: for each target missed, the profile that shows what limits it "
    kept += 'and what would move it (`make bench BENCH="b1 --profile"` records flame graphs).'
    if ANALYSIS_BEGIN in previous_text and ANALYSIS_END in previous_text:
        kept = previous_text.split(ANALYSIS_BEGIN, 1)[1].split(ANALYSIS_END, 1)[0].strip()
    return ["## Analysis", "", ANALYSIS_BEGIN, kept, ANALYSIS_END]


def _how_to_run() -> list[str]:
    return [
        "## How to run",
        "",
        "```bash",
        "make bench                          # everything: 10 to 13 minutes on 2 cores",
        "make bench BENCH=b1                 # one part: b1 b2 b3 b4 b5 idle, or a bench_* module",
        'make bench BENCH="b1 b4 --quick"    # smaller data and shorter loads, to try things out',
        'make bench BENCH="b2 --profile"     # py-spy flame graphs in bench/results/profiles/',
        'make bench BENCH="b1 --before bench/results/<file>.json"   # compare with that run',
        "```",
        "",
        "`make bench` starts its own Kafka and PostgreSQL (`deploy/local/with-infra.sh`) and wrk "
        "(installed from Debian packages when missing). How it measures: `bench/README.md`. "
        "Quick and profiled runs write their results file but leave this one alone.",
    ]


def _target(figure: Figure) -> str:
    return figure.target.text.replace(" x ", f" {TIMES} ") if figure.target else "—"


def _figure(figure: Figure) -> str:
    if figure.value is None:
        return "saturated"
    return f"{_value(figure.value)} {figure.unit}"


def _value(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.3g} {TIMES}"
