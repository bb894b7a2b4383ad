"""What the run prints at the end: the faults and when they struck, what flowed, the totals,
and every difference the checks found."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from chaos.faults import FaultLog
from chaos.generator import Sent
from chaos.invariants import Expected
from chaos.operator import OperatorLog
from chaos.plan import LoadPlan


@dataclass
class Report:
    plan: LoadPlan
    seconds: dict[str, float] = field(default_factory=dict)
    faults: FaultLog | None = None
    sent: Sent | None = None
    retried: Counter[str] = field(default_factory=Counter)
    operator: OperatorLog | None = None
    line_statuses: Counter[str] = field(default_factory=Counter)
    expected: Expected | None = None
    settlements: dict[str, dict[str, Any]] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not any(self.differences.values())

    def lines(self) -> list[str]:
        out = [
            f"chaos run, seed {self.plan.seed}: {self.plan.invoices} invoices, "
            f"{len(self.plan.people)} people, {len(self.plan.ocmws)} OCMWs, "
            f"{len(self.plan.gps)} GPs"
        ]
        out.append("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        if self.faults:
            out.append(f"faults ({len(self.faults.struck)}):")
            out += [
                f"  {s.at_seconds:7.1f}s after {s.invoices_sent:5d} invoices  "
                f"{s.fault.target:<17} {s.detail}"
                for s in self.faults.struck
            ]
            out += [f"  exited by itself: {exit}" for exit in self.faults.self_exits]
        if self.sent:
            extended = sum(count - 1 for count in self.sent.versions.values())
            out.append(
                f"sent: {len(self.sent.decisions)} decisions, {extended} extensions, "
                f"{self.sent.consultations} consultations, {self.sent.simulations} "
                f"pricing simulations, {len(self.sent.invoices)} invoices "
                f"({sum(len(i.amounts) for i in self.sent.invoices)} lines)"
            )
        if self.retried:
            out.append(
                "calls tried again: "
                + ", ".join(f"{kind}: {count}" for kind, count in sorted(self.retried.items()))
            )
        if self.operator:
            out.append(
                f"payment runs: CLI {dict(self.operator.cli_runs)} (exit code → runs), "
                f"final API runs {self.operator.api_runs} paying "
                f"{self.operator.paid_by_final_runs} invoices"
            )
        out.append(f"line verdicts: {dict(self.line_statuses)}")
        if self.expected:
            out.append(
                f"accepted lines {self.expected.accepted_lines}, owed to GPs "
                f"{self.expected.paid_amount}"
            )
            for month, totals in sorted(self.expected.months.items()):
                got = self.settlements.get(month, {}).get("totals", {})
                out.append(f"settlement {month}: expected {totals.as_settlement()}")
                out.append(f"settlement {month}: platform {got}")
        for check, found in self.differences.items():
            out.append(f"check {check}: {'OK' if not found else f'{len(found)} differences'}")
            out += [f"  - {difference}" for difference in found[:50]]
        out.append("CHAOS PASSED" if self.passed else "CHAOS FAILED")
        return out
