"""The funder file and the OCMW statements, streamed from the ledger a batch at a time.

Downloads stream one file (`funder_file`, `ocmw_statement`); a run writes all of them in one
pass over the month (`write_all`), hashing each and tallying what it wrote, which the run
reconciles against the ledger (S-04). Both use the same heads, lines and tails, so a download
is byte for byte the file whose checksum the run (or the close) recorded.

From layout 3 on a statement names each person as the OCMW knows them from its decision. Each
run of a month (the close's last one included) freezes those names (repository.freeze_names)
and the files take them from there, never from the live decisions: a statement downloaded
later, or a closed month's, is the file the run hashed, whatever a decision said since.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Role
from servicekit.tenancy import SERVICE, Tenant
from settlement.ledger.models import LedgerLine
from settlement.settlements import repository
from settlement.settlements.files import layout
from settlement.settlements.files.lines import LineBatch, line_batches
from settlement.settlements.files.names import NO_NAMES, StatementNames
from settlement.settlements.rules import FileSums, Sums

TextFormat = Literal["csv", "json"]
FORMATS: tuple[TextFormat, ...] = ("csv", "json")
Groups = list[tuple[str, Sums]]


@dataclass(frozen=True)
class Month:
    """The frozen facts of a run that its files show."""

    settlement_id: str
    month: str
    watermark: int
    layout: int  # layout.LAYOUT_1 or LAYOUT_2: how its files are written


@dataclass(frozen=True)
class OcmwHeading:
    enterprise_number: str
    name: str
    language: str


@dataclass(frozen=True)
class PersonTotal:
    """One person's sums in one OCMW's month, whatever numbers their lines were booked under,
    named by the latest of those numbers (S-02)."""

    key: str  # the person id, or the number where no person was known
    person_id: str | None
    ssin: str
    sums: Sums
    decision_number: str = ""  # of that latest line: it names the person (layout 3 on)


@dataclass
class Tally:
    """Running sums of the lines written."""

    state_share: int = 0
    ocmw_share: int = 0
    patient_share: int = 0
    lines: int = 0
    invoices: set[str | bytes] = field(default_factory=set)

    def add(self, batch: LineBatch) -> None:
        self.state_share += sum(map(int, batch.state_shares))
        self.ocmw_share += sum(map(int, batch.ocmw_shares))
        self.patient_share += sum(map(int, batch.patient_shares))
        self.lines += len(batch)
        self.invoices.update(batch.invoice_ids)

    def sums(self) -> Sums:
        return Sums(
            self.state_share, self.ocmw_share, self.patient_share, self.lines, len(self.invoices)
        )


def _head(
    file_format: TextFormat, kind: str, month: Month, extra: dict[str, Any], *, named: bool = False
) -> str:
    if file_format == "csv":
        return layout.csv_header(month.layout, named=named)
    head = {"format": kind, "settlement_id": month.settlement_id, "month": month.month, **extra}
    return layout.json_value(head)[:-1] + ',"lines":['


def _json_tail(tail: dict[str, Any]) -> str:
    return "\n]," + layout.json_value(tail)[1:] + "\n"


def funder_head(file_format: TextFormat, month: Month) -> str:
    return _head(file_format, layout.FUNDER_FORMATS[month.layout], month, {})


def funder_tail(file_format: TextFormat, month: Month, total: Sums, per_ocmw: Groups) -> str:
    if file_format == "csv":
        return "".join(
            layout.csv_total(month.month, "ocmw_total", sums, layout=month.layout, ocmw=ocmw)
            for ocmw, sums in per_ocmw
        ) + layout.csv_total(month.month, "total", total, layout=month.layout)
    return _json_tail(
        {
            "per_ocmw": [layout.json_totals(s, enterprise_number=key) for key, s in per_ocmw],
            "totals": layout.json_totals(total),
        }
    )


def statement_head(file_format: TextFormat, month: Month, ocmw: OcmwHeading) -> str:
    heading = {"enterprise_number": ocmw.enterprise_number, "name": ocmw.name}
    return _head(
        file_format,
        layout.STATEMENT_FORMATS[month.layout],
        month,
        {"ocmw": {**heading, "language": ocmw.language}},
        named=True,
    )


def statement_tail(
    file_format: TextFormat,
    month: Month,
    ocmw: str,
    total: Sums,
    providers: Groups,
    persons: Sequence[PersonTotal],
    names: StatementNames = NO_NAMES,
) -> str:
    version = month.layout
    named = layout.names_in(version)
    unnamed = (None, None) if named else None
    if file_format == "csv":
        return (
            "".join(
                layout.csv_total(
                    month.month, "provider_total", sums, layout=version, ocmw=ocmw, provider=key,
                    name=unnamed,
                )
                for key, sums in providers
            )
            + "".join(
                layout.csv_total(
                    month.month, "person_total", person.sums, layout=version, ocmw=ocmw,
                    ssin=person.ssin, person_id=person.person_id or "",
                    name=_name_of(person, names) if named else None,
                )
                for person in persons
            )
            + layout.csv_total(month.month, "total", total, layout=version, ocmw=ocmw, name=unnamed)
        )  # fmt: skip
    return _json_tail(
        {
            "per_provider": [layout.json_totals(s, provider=key) for key, s in providers],
            "per_person": [_person_json(person, version, names) for person in persons],
            "totals": layout.json_totals(total),
        }
    )


def _name_of(person: PersonTotal, names: StatementNames) -> tuple[str | None, str | None]:
    name = names.of(person.decision_number)
    return (name.last_name, name.first_name) if name else (None, None)


def _person_json(person: PersonTotal, version: int, names: StatementNames) -> dict[str, Any]:
    if layout.names_in(version):
        last_name, first_name = _name_of(person, names)
        return layout.json_totals(
            person.sums,
            person_id=person.person_id,
            ssin=person.ssin,
            last_name=last_name,
            first_name=first_name,
        )
    if version >= layout.LAYOUT_2:
        return layout.json_totals(person.sums, person_id=person.person_id, ssin=person.ssin)
    return layout.json_totals(person.sums, ssin=person.ssin)


async def funder_file(
    session: AsyncSession, month: Month, file_format: TextFormat
) -> AsyncIterator[bytes]:
    """S-01: every line of the month, then the totals per OCMW and overall."""
    yield funder_head(file_format, month).encode()
    total, per_ocmw = Tally(), dict[str, Tally]()
    async for batch in _lines(session, month, SERVICE):
        yield batch.text(file_format, first_in_file=not total.lines)
        total.add(batch)
        for ocmw, lines in batch.per_ocmw():
            per_ocmw.setdefault(ocmw, Tally()).add(lines)
    groups = [(ocmw, tally.sums()) for ocmw, tally in per_ocmw.items()]
    yield funder_tail(file_format, month, total.sums(), groups).encode()


async def ocmw_statement(
    session: AsyncSession, month: Month, ocmw: OcmwHeading, file_format: TextFormat
) -> AsyncIterator[bytes]:
    """S-02: the OCMW's lines of the month, its totals per provider, per person and overall."""
    number = ocmw.enterprise_number
    its_own = statement_reader(number)
    names = await statement_names(session, month, number)
    on_lines = names if layout.names_in(month.layout) else None
    yield statement_head(file_format, month, ocmw).encode()
    total = Tally()
    async for batch in _lines(session, month, its_own):
        yield batch.text(file_format, first_in_file=not total.lines, names=on_lines)
        total.add(batch)
    providers, persons = await statement_groups(session, month, its_own)
    tail = statement_tail(
        file_format, month, number, total.sums(), providers.get(number, []),
        persons.get(number, []), names,
    )  # fmt: skip
    yield tail.encode()


async def statement_names(session: AsyncSession, month: Month, ocmw: str) -> StatementNames:
    """The names one OCMW's statement shows: those the month's last run froze, its own only;
    none before layout 3."""
    if not layout.names_in(month.layout):
        return NO_NAMES
    frozen = await repository.frozen_names(
        session, month.settlement_id, tenant=statement_reader(ocmw)
    )
    return StatementNames(frozen.get(ocmw, {}))


def statement_reader(enterprise_number: str) -> Tenant:
    """Who reads an OCMW's statement: that OCMW, whoever asked for it (S-02)."""
    return Tenant(Role.OCMW, enterprise_number)


def _lines(session: AsyncSession, month: Month, tenant: Tenant) -> AsyncIterator[LineBatch]:
    return line_batches(
        session,
        month=month.month,
        watermark=month.watermark,
        file_layout=month.layout,
        tenant=tenant,
    )


StatementGroups = tuple[dict[str, Groups], dict[str, list[PersonTotal]]]


async def statement_groups(session: AsyncSession, month: Month, tenant: Tenant) -> StatementGroups:
    """Totals per OCMW and provider, and per OCMW and person (by person, whatever the number,
    each named by the latest number booked for them), aggregated by the database."""
    providers: dict[str, Groups] = {}
    for (number, provider), sums in await repository.sums_per(
        session, month.month, month.watermark, LedgerLine.ocmw, LedgerLine.provider, tenant=tenant
    ):
        providers.setdefault(number, []).append((provider, sums))
    latest = await repository.latest_numbers(session, month.month, month.watermark, tenant=tenant)
    persons: dict[str, list[PersonTotal]] = {}
    for number, key, person_id, sums in await repository.person_sums(
        session, month.month, month.watermark, tenant=tenant
    ):
        ssin, decision_number = latest[(number, key)]
        person = PersonTotal(key, person_id, ssin, sums, decision_number)
        persons.setdefault(number, []).append(person)
    for found in persons.values():
        found.sort(key=lambda person: (person.ssin, person.key))
    return providers, persons


class _HashedDocument:
    """One file being written for its checksum only, with the sums of the lines it holds."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tally = Tally()
        self._digests = {fmt: hashlib.sha256() for fmt in FORMATS}

    def write(self, file_format: TextFormat, text: str) -> None:
        self._digests[file_format].update(text.encode())

    def lines(self, batch: LineBatch, names: StatementNames | None = None) -> None:
        first = not self.tally.lines
        for file_format in FORMATS:
            text = batch.text(file_format, first_in_file=first, names=names)
            self._digests[file_format].update(text)
        self.tally.add(batch)

    def checksums(self, name_of: Callable[[TextFormat], str]) -> dict[str, str]:
        return {name_of(fmt): digest.hexdigest() for fmt, digest in self._digests.items()}


def _statement_name(month: str, ocmw: str, file_format: TextFormat) -> str:
    return layout.file_name("ocmw", month, file_format, ocmw=ocmw)


@dataclass
class WrittenFiles:
    checksums: dict[str, str]
    funder: FileSums
    statements: dict[str, FileSums]


async def write_all(
    session: AsyncSession,
    month: Month,
    headings: Sequence[OcmwHeading],
    group_totals: Awaitable[StatementGroups],
    on_lines: Callable[[int], None],
) -> WrittenFiles:
    """Every file of the month in one pass over its lines, ordered by OCMW: the funder file,
    and each OCMW's statement as the stream passes it (CSV and JSON alike). The statements'
    totals per provider and person (`group_totals`, from statement_groups) are awaited at the end,
    so the database may sum them while it streams the lines."""
    by_number = {heading.enterprise_number: heading for heading in headings}
    named = layout.names_in(month.layout)
    frozen = (
        await repository.frozen_names(session, month.settlement_id, tenant=SERVICE) if named else {}
    )
    names = {number: StatementNames(frozen.get(number, {})) for number in by_number}
    funder = _HashedDocument("funder")
    for fmt in FORMATS:
        funder.write(fmt, funder_head(fmt, month))
    statements: dict[str, _HashedDocument] = {}
    current: _HashedDocument | None = None
    async for batch in _lines(session, month, SERVICE):
        funder.lines(batch)
        for number, lines in batch.per_ocmw():
            if current is None or current.name != number:
                current = statements[number] = _HashedDocument(number)
                for fmt in FORMATS:
                    current.write(fmt, statement_head(fmt, month, by_number[number]))
            current.lines(lines, names[number] if named else None)
        on_lines(len(batch))
    per_ocmw = [(number, document.tally.sums()) for number, document in statements.items()]
    providers, persons = await group_totals
    checksums: dict[str, str] = {}
    for fmt in FORMATS:
        funder.write(fmt, funder_tail(fmt, month, funder.tally.sums(), per_ocmw))
    checksums |= funder.checksums(lambda fmt: layout.file_name("funder", month.month, fmt))
    statement_sums: dict[str, FileSums] = {}
    for number, document in statements.items():
        total = document.tally.sums()
        for fmt in FORMATS:
            tail = statement_tail(
                fmt, month, number, total, providers[number], persons[number], names[number]
            )
            document.write(fmt, tail)
        checksums |= document.checksums(partial(_statement_name, month.month, number))
        groups = {f"provider:{key}": sums for key, sums in providers[number]} | {
            f"person:{person.key}": person.sums for person in persons[number]
        }
        statement_sums[number] = FileSums(f"ocmw-{number}", total, groups)
    funder_sums = FileSums("funder file", funder.tally.sums(), dict(per_ocmw))
    return WrittenFiles(checksums, funder_sums, statement_sums)
