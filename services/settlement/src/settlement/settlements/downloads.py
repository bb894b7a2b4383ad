"""The files of a settlement as downloads: the format by `Accept`, an OCMW only its own (S-02)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Principal, Role
from servicekit.db import Database
from servicekit.errors import Forbidden, NotFound
from servicekit.http import negotiate_media_type
from settlement.settlements import service
from settlement.settlements.files import documents, layout
from settlement.settlements.files.documents import OcmwHeading

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
_FORMAT_OF = {"text/csv": "csv", "application/json": "json", "application/pdf": "pdf"}


@dataclass(frozen=True)
class Download:
    file_name: str
    media_type: str
    body: bytes | AsyncIterator[bytes]


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The first format of `Accept` (in the client's order, ignoring weights) we offer; JSON
    when the client takes anything."""
    media_types = tuple(MEDIA_TYPES[name].split(";")[0] for name in offered)
    chosen = negotiate_media_type(
        accept, media_types, rule="S-03", code="settlement.format_not_offered"
    )
    return _FORMAT_OF[chosen]


async def funder_file(
    session: AsyncSession, database: Database, *, settlement_id: str, accept: str | None
) -> Download:
    file_format = _text(negotiate(accept, ("csv", "json")))
    month = service.month_of(await service.get_settlement_row(session, settlement_id=settlement_id))
    stream = _streamed(
        database,
        lambda reading: documents.funder_file(reading, month, file_format),
    )
    name = layout.file_name("funder", month.month, file_format)
    return Download(name, MEDIA_TYPES[file_format], stream)


async def ocmw_statement(
    session: AsyncSession,
    database: Database,
    *,
    settlement_id: str,
    enterprise_number: str,
    caller: Principal,
    accept: str | None,
) -> Download:
    if caller.role is Role.OCMW and caller.subject != enterprise_number:
        raise Forbidden.for_rule(
            "S-02", "settlement.not_own_statement", "An OCMW may fetch only its own statement"
        )
    file_format = negotiate(accept, ("csv", "json", "pdf"))
    settlement = await service.get_settlement_row(session, settlement_id=settlement_id)
    month = service.month_of(settlement)
    entry = next(
        (item for item in settlement.per_ocmw if item["enterprise_number"] == enterprise_number),
        None,
    )
    if entry is None:
        raise NotFound.for_rule(
            "S-02",
            "settlement.ocmw_not_in_month",
            f"No line of OCMW {enterprise_number} was settled in {settlement.month}",
        )
    heading = OcmwHeading(enterprise_number, entry["name"], entry["language"])
    name = layout.file_name("ocmw", month.month, file_format, ocmw=enterprise_number)
    if file_format == "pdf":
        body = await service.statement_pdf(session, month, heading)
        return Download(name, MEDIA_TYPES["pdf"], body)
    text_format = _text(file_format)
    stream = _streamed(
        database,
        lambda reading: documents.ocmw_statement(reading, month, heading, text_format),
    )
    return Download(name, MEDIA_TYPES[file_format], stream)


def _text(file_format: str) -> documents.TextFormat:
    return "csv" if file_format == "csv" else "json"


async def _streamed(
    database: Database, produce: Callable[[AsyncSession], AsyncIterator[bytes]]
) -> AsyncIterator[bytes]:
    # The request's session ends when the endpoint returns, before the body is sent, so the
    # stream reads in a transaction of its own; the watermark keeps it to the run's lines.
    async with database.reading() as session:
        async for chunk in produce(session):
            yield chunk
