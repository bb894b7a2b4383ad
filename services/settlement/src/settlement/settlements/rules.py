"""Settlement rules, pure. Issue 7 completes S-01..S-04."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from servicekit.errors import Conflict

SHARES = ("state_share", "ocmw_share", "patient_share")


def refuse_closed_month_s04(*, status: str, month: str) -> None:
    """S-04: a closed month never changes; corrections go into a later month."""
    if status == "closed":
        raise Conflict.for_rule("S-04", "settlement.closed", f"The settlement of {month} is closed")


def month_totals_s04(per_ocmw: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """S-04: the month's totals are the sum of its OCMWs, to the cent."""
    totals: dict[str, Any] = {share: Decimal("0.00") for share in SHARES}
    totals |= {"lines": 0, "invoices": 0}
    for entry in per_ocmw:
        for key in (*SHARES, "lines", "invoices"):
            totals[key] += entry[key]
    return totals
