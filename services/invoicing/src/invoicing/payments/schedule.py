"""I-05: payment runs on a schedule, inside the service, one instance at a time.

The loop runs as the service's background work: supervised, and stopped with the service (a run
cut short is resumed by the next one, as after a crash).
"""

from __future__ import annotations

from datetime import timedelta

import structlog

from invoicing.payments.service import run_payments
from invoicing.settings import InvoicingSettings
from servicekit.db import Database
from servicekit.scheduling import PeriodicJob, Schedule
from servicekit.service import Work
from servicekit.settings import ServiceSettings

JOB_NAME = "invoicing.payment-run"
log = structlog.get_logger()


def payment_schedule(settings: InvoicingSettings, database: Database) -> PeriodicJob | None:
    """The scheduled payment run, or None when the schedule is empty (turned off)."""
    expression = settings.payment_run_schedule.strip()
    if not expression:
        return None

    async def run() -> None:
        result = await run_payments(database)
        log.info(
            "invoicing.payment_run.scheduled",
            run_id=result.run_id,
            paid_invoices=result.paid_invoices,
        )

    return PeriodicJob(
        name=JOB_NAME,
        schedule=Schedule(expression, settings.payment_run_timezone),
        job=run,
        database=database,
        lease=timedelta(seconds=settings.payment_run_lease_seconds),
    )


def payment_schedule_work(settings: ServiceSettings, database: Database) -> Work | None:
    """The schedule's loop for the service definition; None when the schedule is off."""
    assert isinstance(settings, InvoicingSettings)
    job = payment_schedule(settings, database)
    if job is None:
        log.info("invoicing.payment_run.schedule_off")
        return None
    return job.run
