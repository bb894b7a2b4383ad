import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from mediprima_contracts.components import CareType
from mediprima_contracts.values import BoundedDate, Instant, RizivNumber, Ssin


def _request_schema(schema: JsonDict) -> None:
    # valid_until is refused when missing by the C-04 rule (a 422 naming the rule), not by the
    # parser; the published schema says it is required all the same.
    required = schema.get("required")
    schema["required"] = [*(required if isinstance(required, list) else []), "valid_until"]
    schema["examples"] = [
        {
            "ssin": "85073003328",
            "care_type": "general_medicine",
            "valid_from": "2026-11-20",
            "valid_until": "2027-02-19",
        }
    ]


class CertificateRequest(BaseModel):
    """A doctor or dentist certifies that a person without legal residence needed care (C-04)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_request_schema)

    ssin: Ssin = Field(description="The patient's INSZ/NISS or BIS number.")
    care_type: CareType = Field(description="Type of care the certificate is for.")
    valid_from: BoundedDate = Field(description="First day the certificate is valid.")
    valid_until: BoundedDate | None = Field(
        default=None,
        description="Last day it is valid; required (C-04 `certificate.unbounded`). Within the "
        "urgent-aid cover in force on `valid_from` (`certificate.beyond_cover`), or at most 3 "
        "months long when no such cover is known yet (`certificate.too_long`).",
    )


class CertificateView(BaseModel):
    """An urgent-aid certificate as its latest version states it."""

    certificate_number: str = Field(description="Number of the certificate (12 digits).")
    version: int = Field(description="1 when filed, +1 for each correction by its author.")
    ssin: Ssin = Field(description="The patient.")
    provider: RizivNumber = Field(description="RIZIV number of the certifying doctor or dentist.")
    care_type: CareType = Field(description="Type of care the certificate is for.")
    valid_from: dt.date = Field(description="First day the certificate is valid.")
    valid_until: dt.date | None = Field(
        default=None,
        description="Last day it is valid; absent only on certificates filed before validity "
        "was bounded.",
    )
    registered_at: Instant = Field(description="When it was first filed.")
    corrected_at: Instant | None = Field(
        default=None, description="When the latest version was filed; absent for version 1."
    )
    relied_on: bool = Field(
        description="A paid invoice line relies on it: it can be corrected, never withdrawn."
    )
    withdrawn_at: Instant | None = Field(
        default=None, description="When its author withdrew it, if so."
    )


class CertificateVersionView(BaseModel):
    """One version of a certificate, as its author filed it."""

    certificate_number: str = Field(description="Number of the certificate.")
    version: int = Field(description="The version: 1 when filed, +1 for each correction.")
    ssin: Ssin = Field(description="The patient.")
    provider: RizivNumber = Field(description="RIZIV number of the certifying doctor or dentist.")
    care_type: CareType = Field(description="Type of care.")
    valid_from: dt.date = Field(description="First day valid.")
    valid_until: dt.date | None = Field(default=None, description="Last day valid.")
    filed_at: Instant = Field(description="When this version was filed.")
