from servicekit.settings import ServiceSettings


class DecisionRegistrySettings(ServiceSettings):
    service_name: str = "decision-registry"
    port: int = 8001
