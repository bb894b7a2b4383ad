from servicekit.settings import ServiceSettings


class ConsultationSettings(ServiceSettings):
    service_name: str = "consultation"
    port: int = 8002
