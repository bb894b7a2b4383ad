"""Which lines a GP may cancel, and the status that follows (I-01, I-03, I-05), pure."""

from invoicing.cancellations.rules import (
    LineState,
    check_cancellable_lines,
    status_after_cancellation,
)
from invoicing.invoices.statuses import InvoiceStatus, LineStatus

ACCEPTED = LineState(LineStatus.ACCEPTED, paid=False)
PAID = LineState(LineStatus.ACCEPTED, paid=True)


def codes(problems: list) -> list[tuple[str | None, str]]:  # type: ignore[type-arg]
    return [(problem.rule, problem.code) for problem in problems]


def test_i05_paid_and_credited_lines_are_not_cancelled() -> None:
    lines = {
        1: ACCEPTED,
        2: PAID,
        3: LineState(LineStatus.CREDITED, paid=True),
        4: LineState(LineStatus.CANCELLED, paid=False),
    }

    check = check_cancellable_lines([1, 2, 3, 4], lines)

    assert check.unprocessable == []
    assert codes(check.conflicts) == [
        ("I-05", "cancellation.line_paid"),
        ("I-03", "cancellation.line_credited"),
        ("I-01", "cancellation.line_already_cancelled"),
    ]


def test_i01_absent_numbers_mean_every_line_not_cancelled_yet() -> None:
    lines = {1: ACCEPTED, 2: LineState(LineStatus.CANCELLED, paid=False), 3: ACCEPTED}

    assert check_cancellable_lines(None, lines).lines == [1, 3]
    assert codes(check_cancellable_lines(None, {1: lines[2]}).conflicts) == [
        ("I-01", "cancellation.line_already_cancelled")
    ]
    assert codes(check_cancellable_lines(None, {1: ACCEPTED, 2: PAID}).conflicts) == [
        ("I-05", "cancellation.line_paid")
    ]


def test_i03_the_status_follows_the_lines_left() -> None:
    cancelled, accepted, rejected = LineStatus.CANCELLED, LineStatus.ACCEPTED, LineStatus.REJECTED

    assert status_after_cancellation(InvoiceStatus.ACCEPTED, [cancelled, cancelled]) == (
        InvoiceStatus.CANCELLED
    )
    assert status_after_cancellation(InvoiceStatus.PARTIALLY_ACCEPTED, [cancelled, accepted]) == (
        InvoiceStatus.ACCEPTED
    )
    assert status_after_cancellation(InvoiceStatus.PARTIALLY_ACCEPTED, [rejected, cancelled]) == (
        InvoiceStatus.REJECTED
    )
    assert status_after_cancellation(InvoiceStatus.RECEIVED, [LineStatus.PENDING, cancelled]) == (
        InvoiceStatus.RECEIVED
    )
    assert status_after_cancellation(InvoiceStatus.PAID, [accepted, cancelled]) == (
        InvoiceStatus.PAID
    )
