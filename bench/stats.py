"""Percentiles the way every part of the bench computes them."""

from __future__ import annotations

from collections.abc import Iterable


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest rank: p99 of 1,000 values is the 990th smallest."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-round(pct * len(ordered)) // 100))
    return ordered[min(rank, len(ordered)) - 1]
