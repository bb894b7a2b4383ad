"""Limits in time on what the state pays and what may still be billed: D-05 and I-04."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mediprima_contracts.components import Finding
from mediprima_domain.calendar import add_years

CARE_START_LIMIT_DAYS = 60
FUNDER_NOTICE_DAYS = 45
BILLING_LIMIT_YEARS = 2


CARE_BEFORE_CUTOFF = Finding(
    rule="D-05",
    code="care.before_cutoff",
    message="Care started more than 60 days before the decision date: the state pays nothing",
)
"""A remark on a line the state does not pay; the refusal when nothing is left for the payers."""


def state_pays_d05(*, care_start: date, decision_date: date, court_decision: bool = False) -> bool:
    """D-05: the state pays only for care started at most 60 days before the decision date
    (manual 2.10: "De periode begint op de datum van de opname voor de hospitalisatie of op de
    dag van de medische prestatie voor de andere zorgen."). A court decision lifts the limit as
    it lifts D-04's (manual 2.19: "uitgezonderd in geval van een rechterlijke beslissing"): rights
    a court orders are paid whatever their age."""
    return court_decision or care_start >= first_day_state_pays_d05(decision_date)


def late_funder_notice_d05(*, care_start: date, decision_date: date, in_hospital: bool) -> bool:
    """D-05: for care outside hospitals the funder wants to be told within 45 days of the care
    (urgent-medical-aid text: "Voor zorgverstrekking buiten het ziekenhuis wil POD op de hoogte
    zijn ten laatste 45 dagen na de zorgverstrekking."); a decision taken later is listed for
    the funder, not refused."""
    return not in_hospital and (decision_date - care_start).days > FUNDER_NOTICE_DAYS


def first_day_state_pays_d05(decision_date: date) -> date:
    return decision_date - timedelta(days=CARE_START_LIMIT_DAYS)


def billing_deadline_i04(date_of_care: date) -> date:
    """I-04: the last day care given on `date_of_care` may be billed (two years later)."""
    return add_years(date_of_care, BILLING_LIMIT_YEARS)


def check_billing_limit_i04(date_of_care: date, billed_on: date) -> Finding | None:
    """I-04: care is billed within 2 years; later only with the funder's written approval
    (manual: "Bij geldige motivatie kan de POD MI een schriftelijk akkoord doorsturen naar de
    HZIV")."""
    if billed_on <= billing_deadline_i04(date_of_care):
        return None
    return Finding(
        rule="I-04",
        code="care.billing_limit_exceeded",
        message="Care must be billed within 2 years of the date of care",
    )


@dataclass(frozen=True)
class LateBillingApproval:
    """The funder's written approval to pay care billed after the 2 years (I-04)."""

    reference: str
    provider: str
    ssin: str
    care_from: date
    care_until: date
    approved_on: date
    person_id: str | None = None

    def covers(self, *, provider: str, ssin: str, person_id: str | None, care: date) -> bool:
        same_person = ssin == self.ssin or (
            person_id is not None and self.person_id is not None and person_id == self.person_id
        )
        return (
            provider == self.provider and same_person and self.care_from <= care <= self.care_until
        )


@dataclass(frozen=True)
class BillingLimitVerdict:
    """I-04 on one line: refused, or let through by an approval the verdict cites."""

    refusal: Finding | None = None
    approval: LateBillingApproval | None = None

    @property
    def remark(self) -> Finding | None:
        if self.approval is None:
            return None
        return Finding(
            rule="I-04",
            code="care.late_billing_approved",
            message=f"Billed after 2 years with the funder's written approval "
            f"{self.approval.reference} of {self.approval.approved_on}",
        )


def billing_limit_i04(
    *,
    date_of_care: date,
    billed_on: date,
    provider: str,
    ssin: str,
    person_id: str | None,
    approvals: Sequence[LateBillingApproval],
) -> BillingLimitVerdict:
    """I-04: within 2 years, or later with a written approval of the funder for this provider,
    this person and this care, given on or before the billing day (manual: "Bij geldige
    motivatie kan de POD MI een schriftelijk akkoord doorsturen naar de HZIV om de betalingen
    van de betrokken facturen te autoriseren.")."""
    late = check_billing_limit_i04(date_of_care, billed_on)
    if late is None:
        return BillingLimitVerdict()
    for approval in sorted(approvals, key=lambda item: (item.approved_on, item.reference)):
        if approval.approved_on <= billed_on and approval.covers(
            provider=provider, ssin=ssin, person_id=person_id, care=date_of_care
        ):
            return BillingLimitVerdict(approval=approval)
    return BillingLimitVerdict(refusal=late)
