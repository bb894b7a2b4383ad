"""The certificate search as a download: CSV by `Accept` (an OCMW keeps its clients'
certificates for the funder's inspection), JSON otherwise."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from consultation.certificates.schemas import CertificateView
from servicekit.errors import ServiceError

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_COLUMNS = (
    "certificate_number",
    "version",
    "ssin",
    "provider",
    "care_type",
    "valid_from",
    "valid_until",
    "registered_at",
    "corrected_at",
    "relied_on",
)
_JSON = ("application/json", "application/*", "*/*")


class NotAcceptable(ServiceError):
    status = 406
    title = "Not acceptable"


def wants_csv(accept: str | None) -> bool:
    """The first media type of `Accept` (in the client's order, ignoring weights) we offer:
    CSV, or JSON (also for anything); 406 when we offer none of them."""
    for part in (accept or "*/*").split(","):
        media_type = part.split(";", 1)[0].strip().lower()
        if media_type == "text/csv":
            return True
        if media_type in _JSON:
            return False
    raise NotAcceptable.for_rule(
        None, "certificate.format_not_offered", "Offered formats: application/json, text/csv"
    )


def as_csv(certificates: Sequence[CertificateView]) -> str:
    """One row per certificate, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for certificate in certificates:
        row = certificate.model_dump(mode="json", include=set(CSV_COLUMNS))
        writer.writerow(_cell(row[column]) for column in CSV_COLUMNS)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
