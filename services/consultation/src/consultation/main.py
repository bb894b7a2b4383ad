"""consultation: coverage answers for GP software and the 30-day payment guarantee."""

from pathlib import Path

from consultation.agreements.router import router as agreements_router
from consultation.billing.router import router as billing_router
from consultation.certificate_reads.router import router as certificate_reads_router
from consultation.certificates.consumers import on_invoice_paid
from consultation.certificates.router import router as certificates_router
from consultation.consultations.router import router as consultations_router
from consultation.decisions.consumers import on_decision_version
from consultation.settings import ConsultationSettings
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import InvoicePaid
from mediprima_contracts.events.topics import CERTIFICATES, CONSULTATIONS, DECISIONS, INVOICES
from servicekit.service import ConsumerSpec, ServiceDefinition

service = ServiceDefinition(
    name="consultation",
    title="MediPrima consultation",
    description=(
        "GP software asks who covers a person on a date and gets a payment guarantee; "
        "doctors file urgent-aid certificates; operators read the consultation audit trail; "
        "GPs learn whether a case is billed through the platform or on paper (I-06)."
    ),
    settings_class=ConsultationSettings,
    routers=[
        consultations_router,
        agreements_router,
        certificate_reads_router,  # before /v1/urgent-aid-certificates/{certificate_number}
        certificates_router,
        billing_router,
    ],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[CONSULTATIONS, CERTIFICATES],
    # The audit trails (C-03, C-04): what was answered and who read which certificates.
    append_only=frozenset({"consultations", "certificate_reads"}),
    consumers=[
        ConsumerSpec(
            group="consultation.decisions",
            topics=[DECISIONS],
            handlers={DecisionVersionPublished.event_type: on_decision_version},
        ),
        ConsumerSpec(
            group="consultation.payments",
            topics=[INVOICES],
            handlers={InvoicePaid.event_type: on_invoice_paid},
        ),
    ],
)
