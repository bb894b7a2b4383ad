"""consultation: coverage answers for GP software and the 30-day payment guarantee."""

from pathlib import Path

from consultation.consultations.router import router as consultations_router
from consultation.decisions.consumers import on_decision_version
from consultation.settings import ConsultationSettings
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.topics import CONSULTATIONS, DECISIONS
from servicekit.service import ConsumerSpec, ServiceDefinition

service = ServiceDefinition(
    name="consultation",
    title="MediPrima consultation",
    description="GP software asks who covers a person on a date and gets a payment guarantee.",
    settings_class=ConsultationSettings,
    routers=[consultations_router],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[CONSULTATIONS],
    consumers=[
        ConsumerSpec(
            group="consultation.decisions",
            topics=[DECISIONS],
            handlers={DecisionVersionPublished.event_type: on_decision_version},
        )
    ],
)
