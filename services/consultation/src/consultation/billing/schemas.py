from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from consultation.billing.rules import (
    BillingRoute,
    BillingRouteCode,
    BillingVerdict,
    ExemptionReason,
    ProviderKind,
)
from mediprima_contracts.components import CareType
from mediprima_contracts.values import BoundedDate, EnterpriseNumber, Instant, RizivNumber, Ssin

DocumentReference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]


class BillingRouteReason(BaseModel):
    """Why the route is what it is (I-06): a stable code and a readable message."""

    rule: Literal["I-06"] = Field(default="I-06", description="The rule: I-06.")
    code: BillingRouteCode = Field(description="Stable code of the reason.")
    message: str = Field(description="Human-readable explanation.")

    @classmethod
    def of(cls, verdict: BillingVerdict) -> BillingRouteReason:
        return cls(code=verdict.code, message=verdict.message)


class ExemptionRequest(BaseModel):
    """An OCMW records a GP's written declaration of an exemption from electronic billing."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "provider": "10000106003",
                    "reason": "aged_67_on_2023_01_01",
                    "declared_on": "2025-10-20",
                    "document_reference": "OCMW-GENT/2025/0042",
                }
            ]
        },
    )

    provider: RizivNumber = Field(description="RIZIV number of the declaring GP.")
    reason: ExemptionReason = Field(description="The legal exemption invoked.")
    declared_on: BoundedDate = Field(
        description="Date of the written declaration; not in the future."
    )
    document_reference: DocumentReference = Field(
        description="The OCMW's reference of the declaration (for the funder's inspection); "
        "one declaration per reference."
    )


class ExemptionView(BaseModel):
    """A recorded exemption declaration."""

    exemption_id: str = Field(description="Id of the record.")
    ocmw: EnterpriseNumber = Field(description="The OCMW that received and recorded it.")
    provider: RizivNumber = Field(description="RIZIV number of the declaring GP.")
    reason: ExemptionReason = Field(description="The legal exemption invoked.")
    declared_on: dt.date = Field(description="Date of the written declaration.")
    document_reference: str = Field(description="The OCMW's reference of the declaration.")
    recorded_at: Instant = Field(description="When the OCMW recorded it.")


class ProviderKindRequest(BaseModel):
    """Where a provider works, as far as the billing obligation goes (I-06)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"kind": "medical_house"}]}
    )

    kind: ProviderKind = Field(
        description="`out_of_hours_post` (huisartsenwachtpost), `medical_house` (fixed fee) or "
        "`practice` (the default)."
    )


class ProviderKindView(BaseModel):
    riziv_number: RizivNumber = Field(description="The provider.")
    kind: ProviderKind = Field(description="Where the provider works.")
    recorded_at: Instant | None = Field(
        default=None, description="When an operator recorded it; absent for the default."
    )


class PaperInvoiceCheckRequest(BaseModel):
    """An OCMW asks whether a paper invoice it received was allowed on paper (I-06)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "provider": "10000106003",
                    "ssin": "85073003328",
                    "date_of_care": "2025-11-03",
                    "invoiced_on": "2025-11-05",
                }
            ]
        },
    )

    provider: RizivNumber = Field(description="RIZIV number of the invoicing GP.")
    ssin: Ssin = Field(description="The patient.")
    date_of_care: BoundedDate = Field(description="Day of the care invoiced.")
    invoiced_on: BoundedDate = Field(description="Date of the paper invoice: the billing day.")
    care_type: CareType = Field(
        default=CareType.GENERAL_MEDICINE, description="Type of care invoiced (GP care by default)."
    )


class PaperInvoiceCheck(BaseModel):
    """Whether the paper invoice was allowed, and why (I-06)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "allowed": False,
                    "billing_route": "platform",
                    "reason": {
                        "rule": "I-06",
                        "code": "billing.platform_required",
                        "message": "From 1 November 2025 a registered decision is billed "
                        "through MediPrima",
                    },
                }
            ]
        }
    )

    allowed: bool = Field(description="Whether the GP could bill this care on paper to the OCMW.")
    billing_route: BillingRoute = Field(description="The route the care had to take.")
    reason: BillingRouteReason = Field(description="Why.")
