"""The funder file and the OCMW statements, streamed from the ledger a batch at a time.

Every generator also fills a `Tally` with what it actually wrote, which the run reconciles
against the ledger (S-04). The same generators serve the downloads, so a download is byte for
byte the file whose checksum the run (or the close) recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from settlement.ledger.models import LedgerLine
from settlement.settlements import repository
from settlement.settlements.files import layout
from settlement.settlements.rules import FileSums, Sums

TextFormat = Literal["csv", "json"]


@dataclass(frozen=True)
class Month:
    """The frozen facts of a run that its files show."""

    settlement_id: str
    month: str
    watermark: int


@dataclass(frozen=True)
class OcmwHeading:
    enterprise_number: str
    name: str
    language: str


@dataclass
class Tally:
    """Running sums of the lines written, overall and per group."""

    state_share: int = 0
    ocmw_share: int = 0
    patient_share: int = 0
    lines: int = 0
    invoices: set[str] = field(default_factory=set)
    groups: dict[str, Sums] = field(default_factory=dict)

    def add(self, row: Sequence[Any]) -> None:
        state, ocmw, patient = layout.line_sums(row)
        self.state_share += state
        self.ocmw_share += ocmw
        self.patient_share += patient
        self.lines += 1
        self.invoices.add(row[3])

    def sums(self) -> Sums:
        return Sums(
            self.state_share, self.ocmw_share, self.patient_share, self.lines, len(self.invoices)
        )

    def file_sums(self, name: str) -> FileSums:
        return FileSums(name=name, total=self.sums(), groups=dict(self.groups))


async def funder_file(
    session: AsyncSession, month: Month, file_format: TextFormat, tally: Tally
) -> AsyncIterator[str]:
    """S-01: every line of the month, then the totals per OCMW and overall."""
    per_ocmw: dict[str, Tally] = {}
    if file_format == "csv":
        yield layout.csv_header()
    else:
        yield _json_head(layout.FUNDER_FORMAT, month, {})
    first = True
    async for batch in repository.stream_lines(session, month.month, month.watermark):
        chunk = []
        for row in batch:
            tally.add(row)
            per_ocmw.setdefault(row[0], Tally()).add(row)
            chunk.append(_line(month.month, row, file_format, first))
            first = False
        yield "".join(chunk)
    tally.groups = {ocmw: group.sums() for ocmw, group in per_ocmw.items()}
    if file_format == "csv":
        yield "".join(
            layout.csv_total(month.month, "ocmw_total", sums, ocmw=ocmw)
            for ocmw, sums in tally.groups.items()
        ) + layout.csv_total(month.month, "total", tally.sums())
    else:
        per_ocmw_json = [
            layout.json_totals(sums, enterprise_number=ocmw) for ocmw, sums in tally.groups.items()
        ]
        yield _json_tail({"per_ocmw": per_ocmw_json, "totals": layout.json_totals(tally.sums())})


async def ocmw_statement(
    session: AsyncSession,
    month: Month,
    ocmw: OcmwHeading,
    file_format: TextFormat,
    tally: Tally,
) -> AsyncIterator[str]:
    """S-02: the OCMW's lines of the month, its totals per provider, per person and overall."""
    number = ocmw.enterprise_number
    if file_format == "csv":
        yield layout.csv_header()
    else:
        heading = {"name": ocmw.name, "language": ocmw.language}
        yield _json_head(
            layout.STATEMENT_FORMAT, month, {"ocmw": {"enterprise_number": number, **heading}}
        )
    first = True
    async for batch in repository.stream_lines(session, month.month, month.watermark, ocmw=number):
        chunk = []
        for row in batch:
            tally.add(row)
            chunk.append(_line(month.month, row, file_format, first))
            first = False
        yield "".join(chunk)
    per_provider, per_person = await statement_groups(session, month, number)
    tally.groups = {f"provider:{key}": sums for key, sums in per_provider} | {
        f"person:{key}": sums for key, sums in per_person
    }
    if file_format == "csv":
        yield (
            "".join(layout.csv_total(month.month, "provider_total", sums, ocmw=number, provider=key)
                    for key, sums in per_provider)
            + "".join(layout.csv_total(month.month, "person_total", sums, ocmw=number, ssin=key)
                      for key, sums in per_person)
            + layout.csv_total(month.month, "total", tally.sums(), ocmw=number)
        )  # fmt: skip
    else:
        yield _json_tail(
            {
                "per_provider": [layout.json_totals(s, provider=key) for key, s in per_provider],
                "per_person": [layout.json_totals(s, ssin=key) for key, s in per_person],
                "totals": layout.json_totals(tally.sums()),
            }
        )


async def statement_groups(
    session: AsyncSession, month: Month, ocmw: str
) -> tuple[list[tuple[str, Sums]], list[tuple[str, Sums]]]:
    """An OCMW's totals per provider and per person, aggregated by the database."""
    providers = await repository.sums_per(
        session, month.month, month.watermark, LedgerLine.provider, ocmw=ocmw
    )
    persons = await repository.sums_per(
        session, month.month, month.watermark, LedgerLine.ssin, ocmw=ocmw
    )
    return [(key[0], sums) for key, sums in providers], [(key[0], sums) for key, sums in persons]


def _line(month: str, row: Sequence[Any], file_format: TextFormat, first: bool) -> str:
    if file_format == "csv":
        return layout.csv_line(month, row)
    return ("\n" if first else ",\n") + layout.json_line(row)


def _json_head(file_format: str, month: Month, extra: dict[str, Any]) -> str:
    head = {
        "format": file_format,
        "settlement_id": month.settlement_id,
        "month": month.month,
        **extra,
    }
    return layout.json_value(head)[:-1] + ',"lines":['


def _json_tail(tail: dict[str, Any]) -> str:
    return "\n]," + layout.json_value(tail)[1:] + "\n"
