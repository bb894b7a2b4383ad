from servicekit.settings import ServiceSettings


class TariffingSettings(ServiceSettings):
    service_name: str = "tariffing"
    port: int = 8003
