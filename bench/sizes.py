"""How much each part of `make bench` does: the issue's sizes by default, smaller with --quick."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    decisions: int = 100_000
    ocmws: int = 500
    wrk_seconds: float = 10.0
    open_loop_seconds: float = 10.0
    warmup_seconds: float = 2.0
    b1_rate: float = 200.0
    b2_invoices: int = 1_200
    b2_rate: float = 50.0
    b2_open_seconds: float = 10.0
    b5_invoices: int = 2_000
    b5_rate: float = 20.0
    b5_open_seconds: float = 10.0
    invoices_per_batch: int = 100
    lines_per_invoice: int = 3
    b3_lines: int = 1_000_000
    b3_ocmws: int = 500
    b4_bodies: int = 40_000  # wrk never repeats a body below 4,000 decisions/s for 10 s
    idle_seconds: float = 30.0
    commits: int = 2_000
    kafka_messages: int = 20_000
    component_env: tuple[tuple[str, str], ...] = ()


QUICK = Sizes(
    decisions=5_000,
    ocmws=50,
    wrk_seconds=3.0,
    open_loop_seconds=3.0,
    warmup_seconds=1.0,
    b2_invoices=200,
    b2_open_seconds=3.0,
    b5_invoices=200,
    b5_open_seconds=3.0,
    b3_lines=50_000,
    b3_ocmws=50,
    b4_bodies=12_000,
    idle_seconds=5.0,
    commits=300,
    kafka_messages=2_000,
    component_env=(("BENCH_CONSULTATION_CHANGES", "10"), ("BENCH_DECISIONS", "20")),
)
