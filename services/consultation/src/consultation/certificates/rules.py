"""Urgent-aid (DMH) certificate rules C-04, pure.

A certificate's validity is bounded: it starts and ends, and lies within the urgent-aid cover it
supports. The certificate may come first, before the OCMW has decided (urgent-medical-aid text:
"Het is wel mogelijk dat de zorg eerst uitgevoerd wordt en dat het OCMW pas nadien het sociaal
onderzoek uitvoert en de kosten ten laste neemt."); then it runs at most as long as an urgent-aid
period can (D-10: "Een betalingsverbintenis in Mediprima of een medische kaart kunnen dekking
bieden voor maximaal 3 maanden").
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from mediprima_contracts.components import CareType
from mediprima_contracts.values import InvalidValue, Period, RizivNumber
from mediprima_domain.calendar import last_day_of_span
from mediprima_domain.coverage import CoverageAnswer
from servicekit.errors import Conflict, Forbidden, Unprocessable

URGENT_AID_MONTHS = 3


def identified_certifier_c04(subject: str) -> RizivNumber:
    """C-04: a certificate names its author by a valid RIZIV number (the token's subject)."""
    try:
        return RizivNumber(subject)
    except InvalidValue as exc:
        raise Forbidden.for_rule(
            "C-04", "certificate.provider_unidentified", "The caller is not a known provider"
        ) from exc


def check_may_certify_c04(*, is_doctor: bool, is_dentist: bool) -> None:
    """C-04: a recognised doctor (profession 1) or dentist (profession 3) files a certificate."""
    if not (is_doctor or is_dentist):
        raise Forbidden.for_rule(
            "C-04",
            "certificate.provider_not_allowed",
            "Only doctors and dentists may file an urgent-aid certificate",
        )


def check_validity_c04(*, valid_from: date, valid_until: date | None) -> Period:
    """C-04: a certificate is valid over a bounded period whose end is not before its start."""
    if valid_until is None:
        raise Unprocessable.for_rule(
            "C-04",
            "certificate.unbounded",
            "valid_until is required: a certificate is valid over a bounded period",
            field="valid_until",
        )
    if valid_until < valid_from:
        raise Unprocessable.for_rule(
            "C-04",
            "certificate.period_order",
            "valid_until is before valid_from",
            field="valid_until",
        )
    return Period(start=valid_from, end=valid_until)


def urgent_aid_cover_c04(answer: CoverageAnswer, care_type: CareType) -> Period | None:
    """C-04: the period of the urgent-medical-aid cover of `care_type` the answer (asked on the
    certificate's first day) finds in force, if any."""
    if not answer.certificate_required:
        return None
    periods = [cover.period for cover in answer.covers if cover.care_type == care_type]
    return max(periods, key=lambda period: period.end) if periods else None


def check_period_c04(validity: Period, cover: Period | None) -> None:
    """C-04: within the urgent-aid cover in force on its first day; with no cover known yet, at
    most one urgent-aid period long (3 months, D-10)."""
    if cover is not None:
        if not cover.covers(validity):
            raise Unprocessable.for_rule(
                "C-04",
                "certificate.beyond_cover",
                f"The certificate must lie within the urgent-aid cover "
                f"({cover.start} to {cover.end})",
                field="valid_until",
            )
        return
    try:
        longest = last_day_of_span(validity.start, URGENT_AID_MONTHS)
    except ValueError:  # the span runs past the calendar's last day: every end lies within it
        longest = date.max
    if validity.end > longest:
        raise Unprocessable.for_rule(
            "C-04",
            "certificate.too_long",
            f"Without an urgent-aid decision yet, a certificate runs at most "
            f"{URGENT_AID_MONTHS} months: until {longest} at the latest",
            field="valid_until",
        )


def check_author_c04(*, author: str, caller: str) -> None:
    """C-04: only the provider who filed a certificate may correct or withdraw it."""
    if author != caller:
        raise Forbidden.for_rule(
            "C-04",
            "certificate.not_author",
            "Only the provider who filed the certificate may correct or withdraw it",
        )


def check_correctable_c04(*, withdrawn: bool) -> None:
    """C-04: a withdrawn certificate supports nothing any more; it is not corrected back."""
    if withdrawn:
        raise Conflict.for_rule(
            "C-04",
            "certificate.withdrawn",
            "The certificate was withdrawn: file a new one instead",
        )


def check_withdrawable_c04(*, relied_on: bool) -> None:
    """C-04: once a paid line relies on a certificate it stays, corrected only by a new version
    (the OCMW keeps it "voor mogelijke controles van de federale overheid/POD-MI")."""
    if relied_on:
        raise Conflict.for_rule(
            "C-04",
            "certificate.relied_on",
            "A paid invoice line relies on this certificate: it can only be corrected by a new "
            "version, never withdrawn",
        )


def check_keeps_paid_care_c04(
    *,
    same_person: bool,
    same_care_type: bool,
    validity: Period,
    paid_days: Collection[date],
) -> None:
    """C-04: a correction of a certificate paid lines rely on still certifies the care they
    paid: the same person (under any of their numbers) and care type, every paid day."""
    if same_person and same_care_type and all(validity.contains(day) for day in paid_days):
        return
    raise Conflict.for_rule(
        "C-04",
        "certificate.paid_care_uncovered",
        "Paid invoice lines rely on this certificate: a correction keeps the person, the care "
        "type and every day of the paid care",
    )
