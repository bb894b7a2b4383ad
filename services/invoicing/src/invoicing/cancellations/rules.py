"""Which lines a provider may cancel (I-01, I-03, I-05), pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from servicekit.errors import ProblemItem


@dataclass(frozen=True)
class LineState:
    status: LineStatus
    paid: bool


@dataclass(frozen=True)
class CancellationCheck:
    lines: list[int]
    unprocessable: list[ProblemItem]
    conflicts: list[ProblemItem]


def check_cancellable_lines(
    requested: Sequence[int] | None, lines: Mapping[int, LineState]
) -> CancellationCheck:
    """A provider withdraws its own lines before they are paid (I-05: a paid line is credited
    by the payer instead, I-03); absent numbers mean every line not cancelled yet."""
    unprocessable: list[ProblemItem] = []
    if requested is None:
        numbers = [n for n, line in sorted(lines.items()) if line.status != LineStatus.CANCELLED]
        fields = {number: "line_numbers" for number in numbers}
        if not numbers:
            conflict = _problem(
                "I-01",
                "cancellation.line_already_cancelled",
                "every line of the invoice is already cancelled",
                None,
            )
            return CancellationCheck([], [], [conflict])
    else:
        numbers = list(requested)
        fields = {number: f"line_numbers.{index}" for index, number in enumerate(requested)}
        if len(set(numbers)) != len(numbers):
            unprocessable.append(
                _problem(
                    "I-01",
                    "cancellation.line_repeated",
                    "each line is cancelled once per request",
                    "line_numbers",
                )
            )
        unprocessable += [
            _problem(
                "I-01",
                "cancellation.line_unknown",
                f"the invoice has no line {number}",
                fields[number],
            )
            for number in dict.fromkeys(numbers)
            if number not in lines
        ]
    conflicts = [
        problem
        for number in dict.fromkeys(numbers)
        if number in lines
        for problem in _conflict(number, lines[number], fields[number])
    ]
    return CancellationCheck(sorted(set(numbers)), unprocessable, conflicts)


def _conflict(number: int, line: LineState, field: str) -> list[ProblemItem]:
    if line.status == LineStatus.CANCELLED:
        return [_problem("I-01", "cancellation.line_already_cancelled",
                         f"line {number} is already cancelled", field)]  # fmt: skip
    if line.status == LineStatus.CREDITED:
        return [_problem("I-03", "cancellation.line_credited",
                         f"line {number} was credited by the payer", field)]  # fmt: skip
    if line.paid:
        return [_problem("I-05", "cancellation.line_paid", f"line {number} is paid: the payer "
                         "credits a paid line instead", field)]  # fmt: skip
    return []


def status_after_cancellation(
    current: InvoiceStatus, line_statuses: Sequence[LineStatus]
) -> InvoiceStatus:
    """All lines cancelled: `cancelled`. An adjudicated invoice's status follows its remaining
    lines (I-03; a credited line was accepted); a received or paid one keeps its status."""
    remaining = [status for status in line_statuses if status != LineStatus.CANCELLED]
    if not remaining:
        return InvoiceStatus.CANCELLED
    if current not in (
        InvoiceStatus.ACCEPTED,
        InvoiceStatus.PARTIALLY_ACCEPTED,
        InvoiceStatus.REJECTED,
    ):
        return current
    accepted = [status in (LineStatus.ACCEPTED, LineStatus.CREDITED) for status in remaining]
    if all(accepted):
        return InvoiceStatus.ACCEPTED
    return InvoiceStatus.PARTIALLY_ACCEPTED if any(accepted) else InvoiceStatus.REJECTED


def _problem(rule: str, code: str, message: str, field: str | None) -> ProblemItem:
    return ProblemItem(rule=rule, code=code, message=message, field=field)
