"""decision-registry: OCMW decisions and all their versions, the authentic source."""

from pathlib import Path

from decision_registry.decisions.router import router as decisions_router
from decision_registry.settings import DecisionRegistrySettings
from mediprima_contracts.events.topics import DECISIONS
from servicekit.service import ServiceDefinition

service = ServiceDefinition(
    name="decision-registry",
    title="MediPrima decision registry",
    description="OCMW software files, changes and reads decisions to pay medical costs.",
    settings_class=DecisionRegistrySettings,
    routers=[decisions_router],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[DECISIONS],
)
