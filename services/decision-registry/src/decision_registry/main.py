"""decision-registry: OCMW decisions and all their versions, the authentic source."""

from pathlib import Path

from decision_registry.decisions.router import router as decisions_router
from decision_registry.handovers.router import router as handovers_router
from decision_registry.mutations.consumers import on_register_mutation
from decision_registry.mutations.router import router as mutations_router
from decision_registry.refunds.router import router as refunds_router
from decision_registry.settings import DecisionRegistrySettings
from decision_registry.worklists.router import router as worklists_router
from mediprima_contracts.events.register_mutations import RegisterMutationReported
from mediprima_contracts.events.topics import DECISIONS, REGISTER_MUTATIONS
from servicekit.service import ConsumerSpec, ServiceDefinition

service = ServiceDefinition(
    name="decision-registry",
    title="MediPrima decision registry",
    description="OCMW software files, changes and reads decisions to pay medical costs; the "
    "register feed reports mutations.",
    settings_class=DecisionRegistrySettings,
    routers=[
        decisions_router,
        handovers_router,
        worklists_router,
        refunds_router,
        mutations_router,
    ],
    migrations=Path(__file__).resolve().parents[2] / "migrations",
    publishes=[DECISIONS],
    consumers=[
        ConsumerSpec(
            group="decision-registry.register-mutations",
            topics=[REGISTER_MUTATIONS],
            handlers={RegisterMutationReported.event_type: on_register_mutation},
        )
    ],
)
