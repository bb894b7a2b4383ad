"""Checks of a recorded approval (I-04), pure: the caller passes `today`."""

from __future__ import annotations

from datetime import date

from servicekit.errors import ProblemItem


def check_approval_i04(
    *, care_from: date, care_until: date, approved_on: date, today: date
) -> list[ProblemItem]:
    """I-04: an approval covers a real period of care and is a letter already written."""
    problems: list[ProblemItem] = []
    if care_from > care_until:
        problems.append(
            ProblemItem(
                rule="I-04",
                code="approval.period_order",
                message=f"the care period starts on {care_from.isoformat()}, after its end "
                f"{care_until.isoformat()}",
                field="care_period.end",
            )
        )
    if approved_on > today:
        problems.append(
            ProblemItem(
                rule="I-04",
                code="approval.approved_in_future",
                message=f"the approval date {approved_on.isoformat()} lies after today",
                field="approved_on",
            )
        )
    return problems
