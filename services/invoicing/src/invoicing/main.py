"""invoicing: electronic invoices from GP software, their verdicts and payments."""

from pathlib import Path

from invoicing.activity.router import router as activity_router
from invoicing.approvals.router import router as approvals_router
from invoicing.cancellations.router import router as cancellations_router
from invoicing.credits.router import router as credits_router
from invoicing.invoices.consumers import on_invoice_priced
from invoicing.invoices.metrics import read_invoice_gauges
from invoicing.invoices.router import MAX_BATCH_BYTES, MAX_INVOICE_BYTES
from invoicing.invoices.router import router as invoices_router
from invoicing.payments.router import router as payments_router
from invoicing.payments.schedule import JOB_NAME, payment_schedule_work
from invoicing.settings import InvoicingSettings
from mediprima_contracts.events.pricing import InvoicePriced
from mediprima_contracts.events.topics import INVOICES, PRICING
from servicekit.limits import BodyLimit
from servicekit.service import BackgroundSpec, ConsumerSpec, ServiceDefinition

service = ServiceDefinition(
    name="invoicing",
    title="MediPrima invoicing",
    description="GP software submits invoices and follows their verdicts and payment.",
    settings_class=InvoicingSettings,
    routers=[
        invoices_router,
        activity_router,
        cancellations_router,
        credits_router,
        payments_router,
        approvals_router,
    ],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[INVOICES],
    body_limits={
        "/v1/invoices": BodyLimit(MAX_INVOICE_BYTES, rule="I-01"),
        "/v1/invoice-batches": BodyLimit(MAX_BATCH_BYTES, rule="I-01"),
    },
    # Scheduled payment runs (MEDIPRIMA_PAYMENT_RUN_SCHEDULE); see payments.schedule.
    background=[BackgroundSpec(name=JOB_NAME, build=payment_schedule_work)],
    scrape_gauges=[read_invoice_gauges],
    consumers=[
        ConsumerSpec(
            group="invoicing.pricing",
            topics=[PRICING],
            handlers={InvoicePriced.event_type: on_invoice_priced},
        )
    ],
)
