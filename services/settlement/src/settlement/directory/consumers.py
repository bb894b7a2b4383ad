"""Keeps each OCMW's names and language from the decisions it publishes (for statements)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.decisions import DecisionVersionPublished
from settlement.directory import repository
from settlement.directory.models import OcmwEntry


async def on_decision_version_published(session: AsyncSession, envelope: Envelope[Any]) -> None:
    published: DecisionVersionPublished = envelope.data
    ocmw = published.ocmw
    entry = await repository.get(session, ocmw.enterprise_number)
    if entry is None:
        entry = OcmwEntry(enterprise_number=ocmw.enterprise_number)
        session.add(entry)
    elif _utc(entry.seen_at) > _utc(envelope.occurred_at):
        return  # an older event arriving late does not undo a newer one
    entry.municipality_nis = ocmw.municipality_nis
    entry.name_nl, entry.name_fr = ocmw.name_nl, ocmw.name_fr
    entry.language = ocmw.language.value if ocmw.language else None
    entry.seen_at = _utc(envelope.occurred_at)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
