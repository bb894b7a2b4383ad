"""settlement: the monthly settlement with the federal funder and every OCMW."""

from pathlib import Path

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import InvoiceLinesCredited, InvoicePaid
from mediprima_contracts.events.topics import DECISIONS, INVOICES, SETTLEMENTS
from servicekit.service import ConsumerSpec, ServiceDefinition
from settlement.directory.consumers import on_decision_version_published
from settlement.ledger.consumers import on_invoice_lines_credited, on_invoice_paid
from settlement.settings import SettlementSettings
from settlement.settlements.router import router as settlements_router

service = ServiceDefinition(
    name="settlement",
    title="MediPrima settlement",
    description="Operators settle each month with the funder and every OCMW.",
    settings_class=SettlementSettings,
    routers=[settlements_router],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[SETTLEMENTS],
    consumers=[
        ConsumerSpec(
            group="settlement.invoices",
            topics=[INVOICES],
            handlers={
                InvoicePaid.event_type: on_invoice_paid,
                InvoiceLinesCredited.event_type: on_invoice_lines_credited,
            },
        ),
        ConsumerSpec(
            group="settlement.decisions",
            topics=[DECISIONS],
            handlers={DecisionVersionPublished.event_type: on_decision_version_published},
        ),
    ],
)
