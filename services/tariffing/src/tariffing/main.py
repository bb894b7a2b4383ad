"""tariffing: the nomenclature over time and the engine that splits each line between payers."""

from pathlib import Path

from fastapi import FastAPI

from mediprima_contracts.events.certificates import CertificateRegistered, CertificateWithdrawn
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import InvoiceLinesCancelled, InvoiceSubmitted
from mediprima_contracts.events.topics import (
    CERTIFICATES,
    CONSULTATIONS,
    DECISIONS,
    INVOICES,
    PRICING,
)
from servicekit.limits import BodyLimit
from servicekit.service import BackgroundSpec, ConsumerSpec, ServiceDefinition
from tariffing.certificates.consumers import on_certificate_registered, on_certificate_withdrawn
from tariffing.decisions.consumers import on_decision_version
from tariffing.nomenclature.imports_router import router as tariff_imports_router
from tariffing.nomenclature.router import router as nomenclature_router
from tariffing.nomenclature.sample import load_sample_if_empty
from tariffing.notices.router import router as notices_router
from tariffing.pricing.consumers import (
    on_consultation_recorded,
    on_invoice_lines_cancelled,
    on_invoice_submitted,
)
from tariffing.pricing.router import router as pricing_router
from tariffing.pricing.schedule import JOB_NAME, awaiting_agreement_work
from tariffing.reads.router import router as reads_router
from tariffing.settings import TariffingSettings


async def _load_sample_tariffs(app: FastAPI) -> None:
    async with app.state.database.transaction() as session:
        await load_sample_if_empty(session)


service = ServiceDefinition(
    name="tariffing",
    title="MediPrima tariffing",
    description="Prices care: the tariff in force and who pays what (state, OCMW, patient).",
    settings_class=TariffingSettings,
    routers=[
        pricing_router,
        nomenclature_router,
        tariff_imports_router,
        notices_router,
        reads_router,
    ],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[PRICING],
    # The trail of providers' reads of a person's coverage through the pricing simulation.
    append_only=frozenset({"person_reads"}),
    # A whole nomenclature file in one request (T-05).
    body_limits={"/v1/tariff-imports": BodyLimit(32 * 1024 * 1024, rule="T-05")},
    consumers=[
        # One group keeps the three read models: fewer pollers on the embedded bus, and each
        # read model is idempotent and independent of the others' order.
        ConsumerSpec(
            group="tariffing.read-models",
            topics=[DECISIONS, CONSULTATIONS, CERTIFICATES],
            handlers={
                DecisionVersionPublished.event_type: on_decision_version,
                ConsultationRecorded.event_type: on_consultation_recorded,
                CertificateRegistered.event_type: on_certificate_registered,
                CertificateWithdrawn.event_type: on_certificate_withdrawn,
            },
        ),
        ConsumerSpec(
            group="tariffing.invoices",
            topics=[INVOICES],
            handlers={
                InvoiceSubmitted.event_type: on_invoice_submitted,
                InvoiceLinesCancelled.event_type: on_invoice_lines_cancelled,
            },
        ),
    ],
    background=[BackgroundSpec(name=JOB_NAME, build=awaiting_agreement_work)],
    on_startup=[_load_sample_tariffs],
)
