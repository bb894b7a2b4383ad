from servicekit.settings import ServiceSettings


class TariffingSettings(ServiceSettings):
    service_name: str = "tariffing"
    port: int = 8003
    agreement_patience_seconds: float = 900.0
    """How long an invoice naming an unseen agreement number waits for its consultation before
    it is priced anyway (and refused as `agreement.unknown` if the number is still unknown)."""
    agreement_sweep_seconds: float = 5.0
    """How often the invoices still waiting are looked at."""
