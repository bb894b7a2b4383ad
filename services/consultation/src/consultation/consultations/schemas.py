from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from consultation.billing.rules import BillingRoute, BillingVerdict
from consultation.billing.schemas import BillingRouteReason
from mediprima_contracts.components import CareType, Coverage, Finding, Ocmw
from mediprima_contracts.values import BoundedDate, Instant, RizivNumber, Ssin
from mediprima_domain.coverage import SUSPENDED, CoverageAnswer


class ConsultationRequest(BaseModel):
    """A provider asks whether an OCMW covers a person on a date."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"ssin": "85073003328", "date": "2026-11-20", "care_type": "general_medicine"}
            ]
        },
    )

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    date: BoundedDate = Field(description="Date of care asked about.")
    care_type: CareType | None = Field(
        default=None, description="Limit the answer to one care type."
    )


_COVERED_EXAMPLE: JsonDict = {
    "consultation_id": "0b6f3c4e-8d1a-4a53-9a0e-2f1c7d9e5b21",
    "covered": True,
    "decision_number": "000000000196",
    "version": 3,
    "ocmw": {"enterprise_number": "0212345668", "municipality_nis": "44021"},
    "coverages": [
        {
            "care_type": "general_medicine",
            "period": {"start": "2026-10-01", "end": "2026-12-31"},
            "ocmw_pays": {
                "insurance_part": "NOTHING",
                "patient_share": "FULL",
                "supplements": "NOTHING",
            },
            "prescription_required": False,
            "providers": [],
        }
    ],
    "urgent_medical_aid_certificate_required": False,
    "agreement_number": "123456789012",
    "agreement_valid_until": "2026-12-22",
    "reasons": [],
    "billing_route": "platform",
    "billing_route_reason": {
        "rule": "I-06",
        "code": "billing.platform_required",
        "message": "From 1 November 2025 a registered decision is billed through MediPrima",
    },
}
_SUSPENDED_EXAMPLE: JsonDict = {
    "consultation_id": "5d1a6bd7-7d5b-4ef4-baa9-5b16a1467e03",
    "covered": False,
    "decision_number": "000000000196",
    "version": 4,
    "ocmw": {"enterprise_number": "0212345668", "municipality_nis": "44021"},
    "coverages": [],
    "urgent_medical_aid_certificate_required": False,
    "reasons": [SUSPENDED.model_dump()],
    "billing_route": "paper_to_ocmw",
    "billing_route_reason": {
        "rule": "I-06",
        "code": "billing.no_registered_decision",
        "message": "No decision registered in MediPrima covers this care: bill the OCMW the "
        "classic way",
    },
}


class ConsultationAnswer(BaseModel):
    """C-01: whether, by whom and how the person is covered; C-02: the agreement number."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [_COVERED_EXAMPLE, _SUSPENDED_EXAMPLE]}
    )

    consultation_id: str = Field(description="Id of this recorded consultation.")
    covered: bool = Field(
        description="Whether an OCMW covers the person for the date (and care type)."
    )
    decision_number: str | None = Field(
        default=None,
        description="The covering decision, or the one explaining why the person is not covered.",
    )
    version: int | None = Field(default=None, description="Its version as consulted.")
    ocmw: Ocmw | None = Field(default=None, description="The OCMW of that decision.")
    coverages: list[Coverage] = Field(
        description="Covers in force on the date, each with its period and what the OCMW pays."
    )
    urgent_medical_aid_certificate_required: bool = Field(
        description="Whether a DMH certificate is needed for each care (C-04)."
    )
    agreement_number: str | None = Field(
        default=None,
        description="Payment commitment to copy onto the invoice (C-02); 12 digits; when covered.",
    )
    agreement_valid_until: dt.date | None = Field(
        default=None, description="Last day of the guarantee: consultation day + 30 days."
    )
    reasons: list[Finding] = Field(
        default_factory=list,
        description="Why the person is not covered (e.g. `D-08` `decision.suspended`); "
        "empty when covered.",
    )
    billing_route: BillingRoute | None = Field(
        default=None,
        description="I-06: `platform` when the GP must bill through MediPrima, `paper_to_ocmw` "
        "when the GP may bill the OCMW on paper; judged on the day of the consultation. Absent "
        "on consultations recorded before I-06.",
    )
    billing_route_reason: BillingRouteReason | None = Field(
        default=None, description="Why the route is what it is (rule `I-06`, a stable code)."
    )

    @classmethod
    def of(
        cls,
        answer: CoverageAnswer,
        *,
        consultation_id: str,
        agreement_number: str | None = None,
        agreement_valid_until: dt.date | None = None,
        billing: BillingVerdict | None = None,
    ) -> ConsultationAnswer:
        """The provider's view of the shared coverage answer (C-01)."""
        decision = answer.decision
        return cls(
            consultation_id=consultation_id,
            covered=answer.covered,
            decision_number=decision.decision_number if decision else None,
            version=decision.version if decision else None,
            ocmw=answer.ocmw,
            coverages=list(answer.covers),
            urgent_medical_aid_certificate_required=answer.certificate_required,
            agreement_number=agreement_number,
            agreement_valid_until=agreement_valid_until,
            reasons=[answer.refusal] if answer.refusal else [],
            billing_route=billing.route if billing else None,
            billing_route_reason=BillingRouteReason.of(billing) if billing else None,
        )


class ConsultationRecord(BaseModel):
    """One consultation in the audit trail (C-03): who asked, when, about whom, and the answer."""

    consultation_id: str = Field(description="Id of the consultation.")
    provider: RizivNumber = Field(description="RIZIV number of the provider who consulted.")
    ssin: Ssin = Field(description="The person asked about.")
    date: dt.date = Field(description="Date of care asked about.")
    care_type: CareType | None = Field(default=None, description="Care type asked about, if any.")
    consulted_at: Instant = Field(description="When the provider consulted.")
    answer: ConsultationAnswer = Field(description="The answer exactly as the provider got it.")


class ConsultationPage(BaseModel):
    """A page of the audit trail, newest first."""

    items: list[ConsultationRecord] = Field(description="Consultations on this page.")
    total: int = Field(description="Consultations matching the query, over all pages.")
    limit: int = Field(description="Most items per page.")
    offset: int = Field(description="Items skipped before this page.")
