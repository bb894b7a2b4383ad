"""Invoice rules, pure: no session, no clock (callers pass `today` or the submission day).

Tariffing judges each line against decisions and tariffs (I-02, T-01..T-06); invoicing adds what
only it can see: the invoice as a whole (I-01), duplicates across invoices (I-02) and the billing
limit (I-04, the one function of `mediprima_domain.billing`, checked here and nowhere else). The
invoice status follows the line verdicts (I-03).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invoicing.invoices.statuses import LineStatus
from mediprima_contracts.components import AdjudicationStatus, Finding, PricedLine, Verdict
from mediprima_domain.billing import (
    LateBillingApproval,
    billing_limit_i04,
    check_billing_limit_i04,
)
from servicekit.errors import ProblemItem

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CareKey:
    """What makes two lines the same care: provider, person, day and code (I-02)."""

    provider: str
    person: str  # mediprima_domain.identity.person_key: the same under every number (D-08)
    date_of_care: date
    code: str


def check_line_numbers_i01(numbers: Sequence[int | None]) -> list[ProblemItem]:
    """I-01: lines are numbered 1..n, each number once; `None` is a line whose number was
    already refused as malformed."""
    problems: list[ProblemItem] = []
    seen: set[int] = set()
    count = len(numbers)
    for index, number in enumerate(numbers):
        if number is None:
            continue
        field = f"lines.{index}.line_number"
        if number in seen:
            problems.append(
                ProblemItem(
                    rule="I-01",
                    code="line.number_duplicate",
                    message=f"line number {number} is used more than once",
                    field=field,
                )
            )
        elif not 1 <= number <= count:
            problems.append(
                ProblemItem(
                    rule="I-01",
                    code="line.number_out_of_range",
                    message=f"line numbers run from 1 to {count}; {number} is outside",
                    field=field,
                )
            )
        seen.add(number)
    return problems


def check_dates_of_care_i01(dates: Sequence[date | None], today: date) -> list[ProblemItem]:
    """I-01: care is billed after it was given; a date of care in the future is a typing error."""
    return [
        ProblemItem(
            rule="I-01",
            code="line.date_in_future",
            message=f"the date of care {day.isoformat()} lies after today",
            field=f"lines.{index}.date_of_care",
        )
        for index, day in enumerate(dates)
        if day is not None and day > today
    ]


def check_admission_dates_i01(
    days: Sequence[tuple[date | None, date | None]],
) -> list[ProblemItem]:
    """I-01: a line's hospital stay starts on or before its care; `days` holds per line the
    (admission date, date of care), `None` where absent or already refused as malformed."""
    return [
        ProblemItem(
            rule="I-01",
            code="line.admission_after_care",
            message=f"the admission date {admission.isoformat()} lies after the date of care "
            f"{care.isoformat()}",
            field=f"lines.{index}.admission_date",
        )
        for index, (admission, care) in enumerate(days)
        if admission is not None and care is not None and admission > care
    ]


def check_issue_date_i01(
    issued_on: date | None, dates_of_care: Sequence[date | None], today: date
) -> list[ProblemItem]:
    """I-01/C-02: an invoice is issued on or before the day it is submitted, and after the care it
    bills. The issue date bounds the C-02 guarantee (manual: "de facturen die de
    zorgverstrekker in die 30 dagen uitschrijft"), so a later one would stretch it."""
    if issued_on is None:
        return []
    if issued_on > today:
        return [
            ProblemItem(
                rule="I-01",
                code="invoice.issued_after_submission",
                message=f"the issue date {issued_on.isoformat()} lies after the day the invoice "
                f"is submitted ({today.isoformat()})",
                field="issued_on",
            )
        ]
    return [
        ProblemItem(
            rule="I-01",
            code="line.care_after_issue",
            message=f"the date of care {day.isoformat()} lies after the invoice's issue date "
            f"{issued_on.isoformat()}",
            field=f"lines.{index}.date_of_care",
        )
        for index, day in enumerate(dates_of_care)
        if day is not None and day > issued_on
    ]


DUPLICATE_I02 = Finding(
    rule="I-02",
    code="line.duplicate",
    message="The same care (provider, person, date and code) was already accepted",
)


def adjudicate_lines_i02(
    *,
    provider: str,
    person: str,
    ssin: str,
    priced: Sequence[PricedLine],
    accepted_elsewhere: set[CareKey],
    submitted_on: date,
    person_id: str | None = None,
    approvals: Sequence[LateBillingApproval] = (),
) -> list[PricedLine]:
    """I-02/I-03/I-04: the final verdict per line, in line order.

    A line tariffing accepted is still rejected when its care was billed too late without the
    funder's written approval (I-04: `mediprima_domain.billing.billing_limit_i04`; an approved
    line carries the approval as a remark) or when the same care is already accepted for the
    same `person` (`mediprima_domain.identity.person_key`), on another invoice (under any of the
    person's numbers) or on an earlier line of this one (I-02). Rejected lines pay nothing: the
    whole amount stays with the patient.
    """
    accepted = set(accepted_elsewhere)
    final: list[PricedLine] = []
    for line in sorted(priced, key=lambda item: item.line_number):
        if line.verdict is not Verdict.ACCEPTED:
            final.append(line)
            continue
        reasons = list(line.reasons)
        limit = billing_limit_i04(
            date_of_care=line.date_of_care,
            billed_on=submitted_on,
            provider=provider,
            ssin=ssin,
            person_id=person_id,
            approvals=approvals,
        )
        key = CareKey(provider, person, line.date_of_care, line.code)
        if limit.refusal is not None:
            reasons.append(limit.refusal)
        elif key in accepted:
            reasons.append(DUPLICATE_I02)
        else:
            accepted.add(key)
            remark = limit.remark
            final.append(
                line.model_copy(update={"reasons": [*reasons, remark]}) if remark else line
            )
            continue
        final.append(_rejected(line, reasons))
    return final


def late_lines_i04(priced: Sequence[PricedLine], submitted_on: date) -> bool:
    """I-04: whether an accepted line was billed after the two years (approvals then matter)."""
    return any(
        check_billing_limit_i04(line.date_of_care, billed_on=submitted_on) is not None
        for line in priced
        if line.verdict is Verdict.ACCEPTED
    )


def _rejected(line: PricedLine, reasons: list[Finding]) -> PricedLine:
    whole = line.state_share + line.ocmw_share + line.patient_share
    return line.model_copy(
        update={
            "verdict": Verdict.REJECTED,
            "state_share": ZERO,
            "ocmw_share": ZERO,
            "patient_share": whole,
            "reasons": reasons,
        }
    )


def invoice_status_i03(line_verdicts: Iterable[str]) -> AdjudicationStatus:
    """I-03: lines are judged one by one; the invoice reflects them together."""
    return AdjudicationStatus.from_verdicts(Verdict(verdict) for verdict in line_verdicts)


def amount_owed_i05(shares: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """I-05: the provider is paid the state and OCMW shares of its accepted lines."""
    return sum((state + ocmw for state, ocmw in shares), ZERO)


def check_creditable_lines_i03(
    requested: Sequence[int], statuses: dict[int, str]
) -> list[ProblemItem]:
    """I-03: a credit is the payer's correction of a line's verdict: only accepted lines, each
    once, can be credited; history is never rewritten."""
    problems: list[ProblemItem] = []
    if len(set(requested)) != len(requested):
        problems.append(
            ProblemItem(
                rule="I-03",
                code="credit.line_repeated",
                message="each line is credited once per request",
                field="line_numbers",
            )
        )
    for index, number in enumerate(requested):
        status = statuses.get(number)
        field = f"line_numbers.{index}"
        if status is None:
            problems.append(
                ProblemItem(
                    rule="I-03",
                    code="credit.line_unknown",
                    message=f"the invoice has no line {number}",
                    field=field,
                )
            )
        elif status == LineStatus.CREDITED:
            problems.append(
                ProblemItem(
                    rule="I-03",
                    code="credit.line_already_credited",
                    message=f"line {number} was already credited",
                    field=field,
                )
            )
        elif status != LineStatus.ACCEPTED:
            problems.append(
                ProblemItem(
                    rule="I-03",
                    code="credit.line_not_accepted",
                    message=f"line {number} is {status}; only accepted lines are credited",
                    field=field,
                )
            )
    return problems
