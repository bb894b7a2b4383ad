from servicekit.settings import ServiceSettings


class InvoicingSettings(ServiceSettings):
    service_name: str = "invoicing"
    port: int = 8004
