from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator

from servicekit.scheduling import Schedule
from servicekit.settings import ServiceSettings


class InvoicingSettings(ServiceSettings):
    service_name: str = "invoicing"
    port: int = 8004
    payment_run_schedule: str = Field(
        default="0 6 * * *",
        description="MEDIPRIMA_PAYMENT_RUN_SCHEDULE: when payment runs start by themselves, in "
        "cron syntax (5 fields, or 6 with seconds last), in `payment_run_timezone`; empty turns "
        "scheduled runs off (runs by hand stay possible). Default: every day at 06:00.",
    )
    payment_run_timezone: str = Field(
        default="Europe/Brussels", description="MEDIPRIMA_PAYMENT_RUN_TIMEZONE."
    )
    payment_run_lease_seconds: int = Field(
        default=900,
        gt=0,
        description="MEDIPRIMA_PAYMENT_RUN_LEASE_SECONDS: how long an instance that died "
        "mid-run keeps the others from the next scheduled run (renewed while a run goes on).",
    )

    @model_validator(mode="after")
    def _schedule_is_cron(self) -> "InvoicingSettings":
        try:
            ZoneInfo(self.payment_run_timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.payment_run_timezone!r}") from error
        if self.payment_run_schedule.strip():
            Schedule(self.payment_run_schedule, self.payment_run_timezone)
        return self
