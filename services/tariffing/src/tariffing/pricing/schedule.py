"""The sweep pricing the invoices whose agreement arrived unnoticed or whose patience ran out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit.db import Database
from servicekit.scheduling import repeating
from servicekit.service import Work
from servicekit.settings import ServiceSettings
from tariffing.pricing import waiting
from tariffing.pricing.consumers import price_waited
from tariffing.settings import TariffingSettings

JOB_NAME = "tariffing.invoices-awaiting-agreement"


def awaiting_agreement_work(settings: ServiceSettings, database: Database) -> Work:
    assert isinstance(settings, TariffingSettings)
    patience = timedelta(seconds=settings.agreement_patience_seconds)

    async def sweep() -> None:
        async with database.transaction() as session:
            due = await waiting.take_due(session, now=datetime.now(UTC), patience=patience)
            for invoice in due:
                await price_waited(session, invoice)

    return repeating(JOB_NAME, settings.agreement_sweep_seconds, sweep)
