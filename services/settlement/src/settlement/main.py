"""settlement: the monthly settlement with the federal funder and every OCMW."""

from pathlib import Path

from mediprima_contracts.events.invoices import InvoicePaid
from mediprima_contracts.events.topics import INVOICES, SETTLEMENTS
from servicekit.service import ConsumerSpec, ServiceDefinition
from settlement.ledger.consumers import on_invoice_paid
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
            handlers={InvoicePaid.event_type: on_invoice_paid},
        )
    ],
)
