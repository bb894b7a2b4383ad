"""tariffing: the nomenclature over time and the engine that splits each line between payers."""

from pathlib import Path

from fastapi import FastAPI

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import InvoiceSubmitted
from mediprima_contracts.events.topics import DECISIONS, INVOICES, PRICING
from servicekit.service import ConsumerSpec, ServiceDefinition
from tariffing.decisions.consumers import on_decision_version
from tariffing.nomenclature.router import router as nomenclature_router
from tariffing.nomenclature.sample import load_sample_if_empty
from tariffing.pricing.consumers import on_invoice_submitted
from tariffing.pricing.router import router as pricing_router
from tariffing.settings import TariffingSettings


async def _load_sample_tariffs(app: FastAPI) -> None:
    async with app.state.database.transaction() as session:
        await load_sample_if_empty(session)


service = ServiceDefinition(
    name="tariffing",
    title="MediPrima tariffing",
    description="Prices care: the tariff in force and who pays what (state, OCMW, patient).",
    settings_class=TariffingSettings,
    routers=[pricing_router, nomenclature_router],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[PRICING],
    consumers=[
        ConsumerSpec(
            group="tariffing.decisions",
            topics=[DECISIONS],
            handlers={DecisionVersionPublished.event_type: on_decision_version},
        ),
        ConsumerSpec(
            group="tariffing.invoices",
            topics=[INVOICES],
            handlers={InvoiceSubmitted.event_type: on_invoice_submitted},
        ),
    ],
    on_startup=[_load_sample_tariffs],
)
