"""The certificate search as a download: CSV by `Accept` (an OCMW keeps its clients'
certificates for the funder's inspection), JSON otherwise."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from consultation.certificates.schemas import CertificateView
from servicekit.http import negotiate_media_type

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


def wants_csv(accept: str | None) -> bool:
    """CSV when `Accept` asks for it before JSON; 406 when we offer none of its types."""
    chosen = negotiate_media_type(
        accept, ("application/json", "text/csv"), rule=None, code="certificate.format_not_offered"
    )
    return chosen == "text/csv"


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
