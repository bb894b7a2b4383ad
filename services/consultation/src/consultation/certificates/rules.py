"""Urgent-aid (DMH) certificate rules C-04, pure."""

from __future__ import annotations

from datetime import date

from mediprima_contracts.values import InvalidValue, RizivNumber
from servicekit.errors import Forbidden, Unprocessable


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


def check_validity_c04(*, valid_from: date, valid_until: date | None) -> None:
    """C-04: a certificate is valid over a period whose end is not before its start."""
    if valid_until is not None and valid_until < valid_from:
        raise Unprocessable.for_rule(
            "C-04",
            "certificate.period_order",
            "valid_until is before valid_from",
            field="valid_until",
        )


def check_author_c04(*, author: str, caller: str) -> None:
    """C-04: only the provider who filed a certificate may withdraw it."""
    if author != caller:
        raise Forbidden.for_rule(
            "C-04",
            "certificate.not_author",
            "Only the provider who filed the certificate may withdraw it",
        )
