"""One valid example of every event, with unique ids; pass keyword changes to vary it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import (
    CertificateRegistered,
    CertificateWithdrawn,
    ConsultationRecorded,
    DecisionVersionPublished,
    InvoiceAdjudicated,
    InvoiceLinesCancelled,
    InvoiceLinesCredited,
    InvoicePaid,
    InvoicePriced,
    InvoiceSubmitted,
    RegisterMutationReported,
    SettlementClosed,
)
from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_hospital_number,
    random_ssin,
)

_AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
_CARE_DAY = date(2025, 3, 10)


def _id() -> str:
    return uuid.uuid4().hex


def _decision_number() -> str:
    return str(uuid.uuid4().int % 10**12)


def example_coverage(**changes: Any) -> dict[str, Any]:
    """A general-medicine coverage (as a dict, ready for any model that embeds it)."""
    return {
        "care_type": "general_medicine",
        "period": {"start": "2025-01-01", "end": "2025-03-31"},
        "ocmw_pays": {
            "insurance_part": "FULL",
            "patient_share": "PARTIAL",
            "supplements": "NOTHING",
        },
        "patient_share_monthly_cap": "20.00",
        "prescription_required": False,
        "providers": [],
        **changes,
    }


def example_decision_version_published(**changes: Any) -> DecisionVersionPublished:
    full = {"insurance_part_pct": 100, "patient_share_pct": 100}
    return DecisionVersionPublished.model_validate(
        {
            "decision_number": _decision_number(),
            "version": 1,
            "status": "active",
            "ssin": random_ssin(),
            "person": {
                "last_name": "Peeters",
                "first_name": "An",
                "birth_date": "1985-07-30",
                "sex": "female",
            },
            "ocmw": {
                "enterprise_number": random_enterprise_number(),
                "municipality_nis": "44021",
                "name_nl": "OCMW Gent",
                "language": "nl",
            },
            "committee_date": "2025-01-06",
            "decision_date": "2025-01-07",
            "period": {"start": "2025-01-01", "end": "2025-03-31"},
            "category": "no_legal_residence",
            "court_decision": False,
            "insurable": False,
            "affiliated_to_fund": False,
            "income_above_living_wage": False,
            "refund_code": 1,
            "state_share": {
                "hospitalisation": full,
                "ambulatory_in_hospital": full,
                "outside_hospital": full,
            },
            "urgent_medical_aid": True,
            "coverages": [
                example_coverage(),
                example_coverage(care_type="hospitalisation", providers=[random_hospital_number()]),
            ],
            "effective_from": "2025-01-01",
            "change_kind": "created",
            "warnings": [
                {
                    "rule": "D-05",
                    "code": "care.start_near_cutoff",
                    "message": "Care starts 58 days before the decision.",
                }
            ],
            **changes,
        }
    )


def example_consultation_recorded(**changes: Any) -> ConsultationRecorded:
    return ConsultationRecorded.model_validate(
        {
            "consultation_id": _id(),
            "agreement_number": _id(),
            "agreement_valid_until": "2025-04-13",
            "consulted_at": _AT,
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "date": _CARE_DAY,
            "covered": True,
            "decision_number": _decision_number(),
            "version": 2,
            "coverages": [example_coverage()],
            "urgent_medical_aid_certificate_required": True,
            **changes,
        }
    )


def _certificate(**changes: Any) -> dict[str, Any]:
    return {
        "certificate_number": _id(),
        "ssin": random_ssin(),
        "provider": random_gp_riziv(),
        "care_type": "general_medicine",
        "valid_from": _CARE_DAY,
        "valid_until": "2025-06-09",
        **changes,
    }


def example_certificate_registered(**changes: Any) -> CertificateRegistered:
    return CertificateRegistered.model_validate(_certificate(**changes))


def example_certificate_withdrawn(**changes: Any) -> CertificateWithdrawn:
    return CertificateWithdrawn.model_validate(_certificate(**changes))


def example_register_mutation_reported(**changes: Any) -> RegisterMutationReported:
    return RegisterMutationReported.model_validate(
        {
            "ssin": random_ssin(),
            "kind": "ssin_change",
            "effective_date": _CARE_DAY,
            "new_ssin": random_ssin(),
            **changes,
        }
    )


def example_invoice_submitted(**changes: Any) -> InvoiceSubmitted:
    return InvoiceSubmitted.model_validate(
        {
            "invoice_id": _id(),
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "agreement_number": _id(),
            "submitted_at": _AT,
            "lines": [
                {"line_number": 1, "date_of_care": _CARE_DAY, "code": "101076", "amount": "30.00"},
                {"line_number": 2, "date_of_care": _CARE_DAY, "code": "102771", "amount": "32.00"},
            ],
            **changes,
        }
    )


def example_priced_lines() -> list[dict[str, Any]]:
    """An accepted and a rejected line, as dicts."""
    return [
        {
            "line_number": 1,
            "date_of_care": _CARE_DAY,
            "code": "101076",
            "verdict": "accepted",
            "fee": "30.00",
            "state_share": "26.00",
            "ocmw_share": "4.00",
            "patient_share": "0.00",
            "reasons": [],
            "decision_number": "123456",
            "version": 2,
            "ocmw": random_enterprise_number(),
            "urgent_medical_aid": True,
        },
        {
            "line_number": 2,
            "date_of_care": _CARE_DAY,
            "code": "102771",
            "verdict": "rejected",
            "fee": "0.00",
            "state_share": "0.00",
            "ocmw_share": "0.00",
            "patient_share": "0.00",
            "reasons": [
                {
                    "rule": "C-04",
                    "code": "certificate.missing",
                    "message": "No DMH certificate for this care.",
                }
            ],
            "urgent_medical_aid": True,
        },
    ]


def example_invoice_priced(**changes: Any) -> InvoicePriced:
    return InvoicePriced.model_validate(
        {
            "invoice_id": _id(),
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "lines": example_priced_lines(),
            **changes,
        }
    )


def example_invoice_adjudicated(**changes: Any) -> InvoiceAdjudicated:
    return InvoiceAdjudicated.model_validate(
        {
            "invoice_id": _id(),
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "status": "partially_accepted",
            "lines": example_priced_lines(),
            "adjudicated_at": _AT,
            **changes,
        }
    )


def example_invoice_paid(**changes: Any) -> InvoicePaid:
    return InvoicePaid.model_validate(
        {
            "invoice_id": _id(),
            "payment_reference": _id(),
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "paid_at": _AT,
            "amount": "30.00",
            "lines": [
                {
                    "line_number": 1,
                    "date_of_care": _CARE_DAY,
                    "code": "101076",
                    "state_share": "26.00",
                    "ocmw_share": "4.00",
                    "patient_share": "0.00",
                    "decision_number": "123456",
                    "version": 2,
                    "ocmw": random_enterprise_number(),
                    "urgent_medical_aid": True,
                }
            ],
            **changes,
        }
    )


def example_invoice_lines_credited(**changes: Any) -> InvoiceLinesCredited:
    paid = example_invoice_paid()
    return InvoiceLinesCredited.model_validate(
        {
            "credit_reference": _id(),
            "invoice_id": paid.invoice_id,
            "provider": paid.provider,
            "ssin": paid.ssin,
            "credited_at": _AT,
            "payment_reference": paid.payment_reference,
            "reason": {"rule": "I-02", "code": "line.duplicate", "message": "Paid twice"},
            "lines": [line.model_dump() for line in paid.lines],
            **changes,
        }
    )


def example_invoice_lines_cancelled(**changes: Any) -> InvoiceLinesCancelled:
    return InvoiceLinesCancelled.model_validate(
        {
            "invoice_id": _id(),
            "provider": random_gp_riziv(),
            "ssin": random_ssin(),
            "cancelled_at": _AT,
            "line_numbers": [1],
            **changes,
        }
    )


def example_settlement_closed(**changes: Any) -> SettlementClosed:
    return SettlementClosed.model_validate(
        {
            "settlement_id": _id(),
            "month": "2025-03",
            "closed_at": _AT,
            "totals": {
                "state_share": "26.00",
                "ocmw_share": "4.00",
                "patient_share": "0.00",
                "lines": 1,
                "invoices": 1,
            },
            "file_checksums": {"funder-2025-03.csv": "0" * 64},
            **changes,
        }
    )


def example_events() -> list[EventData]:
    """One example of every registered event class."""
    return [
        example_decision_version_published(),
        example_consultation_recorded(),
        example_certificate_registered(),
        example_certificate_withdrawn(),
        example_register_mutation_reported(),
        example_invoice_submitted(),
        example_invoice_priced(),
        example_invoice_adjudicated(),
        example_invoice_paid(),
        example_invoice_lines_credited(),
        example_invoice_lines_cancelled(),
        example_settlement_closed(),
    ]
