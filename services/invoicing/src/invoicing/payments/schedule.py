"""I-05: payment runs on a schedule, inside the service, one instance at a time.

Started from the service's `on_startup` hook: servicekit's service definition has no hook for
background workers stopped with the lifespan, so the loop runs as a task of its own and ends
with the process (a run cut short is resumed by the next one, like after a crash). Tests stop it
with `stop_payment_schedule`.
"""

from __future__ import annotations

from datetime import timedelta

import structlog
from fastapi import FastAPI

from invoicing.payments.service import run_payments
from invoicing.settings import InvoicingSettings
from servicekit.db import Database
from servicekit.scheduling import PeriodicJob, Schedule

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


async def start_payment_schedule(app: FastAPI) -> None:
    settings: InvoicingSettings = app.state.settings
    job = payment_schedule(settings, app.state.database)
    app.state.payment_schedule = job
    if job is None:
        log.info("invoicing.payment_run.schedule_off")
        return
    job.start()


async def stop_payment_schedule(app: FastAPI) -> None:
    job: PeriodicJob | None = getattr(app.state, "payment_schedule", None)
    if job is not None:
        await job.stop()
