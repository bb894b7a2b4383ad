"""Keeps each OCMW's names and language, and the person of each decision as the OCMW knows
them, from the decisions it publishes (for statements)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.decisions import DecisionVersionPublished
from settlement.directory import repository
from settlement.directory.models import DecisionPerson, OcmwEntry


async def on_decision_version_published(session: AsyncSession, envelope: Envelope[Any]) -> None:
    published: DecisionVersionPublished = envelope.data
    await _keep_ocmw(session, published, envelope.occurred_at)
    await _keep_person(session, published)


async def _keep_ocmw(
    session: AsyncSession, published: DecisionVersionPublished, occurred_at: datetime
) -> None:
    ocmw = published.ocmw
    entry = await repository.get(session, ocmw.enterprise_number)
    if entry is None:
        entry = OcmwEntry(enterprise_number=ocmw.enterprise_number)
        session.add(entry)
    elif _utc(entry.seen_at) > _utc(occurred_at):
        return  # an older event arriving late does not undo a newer one
    entry.municipality_nis = ocmw.municipality_nis
    entry.name_nl, entry.name_fr = ocmw.name_nl, ocmw.name_fr
    entry.language = ocmw.language.value if ocmw.language else None
    entry.seen_at = _utc(occurred_at)


async def _keep_person(session: AsyncSession, published: DecisionVersionPublished) -> None:
    number = str(published.decision_number)
    person = await repository.decision_person(session, number)
    if person is None:
        person = DecisionPerson(decision_number=number)
        session.add(person)
    elif person.decision_version >= published.version:
        return  # the latest version wins; a redelivery or an older version changes nothing
    person.ocmw = published.ocmw.enterprise_number
    person.decision_version = published.version
    person.last_name = published.person.last_name
    person.first_name = published.person.first_name


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
