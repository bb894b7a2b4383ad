"""A month's file lines in file order, a batch at a time, as columns: the text of each line in
CSV and JSON, and what a tally needs (OCMW, invoice, the three shares in cents), and the
decision number that names the person on a statement (files/names).

PostgreSQL formats the lines itself and streams them with `COPY` (layout_sql); SQLite's rows
come through a cursor a batch at a time and are formatted here (layout.line_texts). Either way
the bytes are the same and no more than a batch is held in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.copy_out import copy_columns
from servicekit.tenancy import Tenant
from settlement.settlements import repository
from settlement.settlements.files import layout, layout_sql
from settlement.settlements.files.names import StatementNames

CSV_LINE_END = b"\r\n"
_JSON_SEPARATOR = b",\n"


@dataclass(frozen=True, slots=True)
class LineBatch:
    """Consecutive lines of a file; shares are cents as int or as their digits (bytes)."""

    ocmws: Sequence[str | bytes]
    invoice_ids: Sequence[str | bytes]
    state_shares: Sequence[int | bytes]
    ocmw_shares: Sequence[int | bytes]
    patient_shares: Sequence[int | bytes]
    csv_lines: Sequence[bytes]  # without CRLF
    json_lines: Sequence[bytes]
    decision_numbers: Sequence[bytes]

    def __len__(self) -> int:
        return len(self.csv_lines)

    def text(
        self, file_format: str, *, first_in_file: bool, names: StatementNames | None = None
    ) -> bytes:
        """The bytes these lines add to a file of the format; with `names`, each line names
        its person (a statement from layout 3 on)."""
        if file_format == "csv":
            lines = self.csv_lines
            if names is not None:
                suffix = names.csv_suffix
                lines = [
                    line + suffix(number)
                    for line, number in zip(lines, self.decision_numbers, strict=True)
                ]
            return CSV_LINE_END.join(lines) + CSV_LINE_END
        objects = self.json_lines
        if names is not None:
            end = names.json_end
            objects = [
                line[:-1] + end(number)
                for line, number in zip(objects, self.decision_numbers, strict=True)
            ]
        lead = b"\n" if first_in_file else _JSON_SEPARATOR
        return lead + _JSON_SEPARATOR.join(objects)

    def per_ocmw(self) -> list[tuple[str, LineBatch]]:
        """The batch cut where the OCMW changes (the lines come ordered by OCMW)."""
        runs, start = [], 0
        for ocmw, lines in groupby(self.ocmws):
            end = start + sum(1 for _ in lines)
            runs.append((_text(ocmw), self._slice(start, end)))
            start = end
        return runs

    def _slice(self, start: int, end: int) -> LineBatch:
        if start == 0 and end == len(self):
            return self
        cut = slice(start, end)
        return LineBatch(
            self.ocmws[cut], self.invoice_ids[cut], self.state_shares[cut], self.ocmw_shares[cut],
            self.patient_shares[cut], self.csv_lines[cut], self.json_lines[cut],
            self.decision_numbers[cut],
        )  # fmt: skip


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def line_batches(
    session: AsyncSession, *, month: str, watermark: int, file_layout: int, tenant: Tenant
) -> AsyncIterator[LineBatch]:
    """The month's lines up to the watermark that `tenant` may read, in file order."""
    if session.get_bind().dialect.name == "postgresql":
        statement = repository.formatted_lines(
            month,
            watermark,
            layout_sql.parts(),
            layout_sql.csv_line(file_layout),
            layout_sql.json_line(file_layout),
            tenant=tenant,
        )
        async for columns in copy_columns(session, statement):
            yield LineBatch(*columns)
        return
    async for rows in repository.stream_lines(session, month, watermark, tenant=tenant):
        texts = [layout.line_texts(month, row, file_layout) for row in rows]
        yield LineBatch(
            [row[layout.ROW_OCMW] for row in rows],
            [row[layout.ROW_INVOICE_ID] for row in rows],
            [row[layout.ROW_STATE] for row in rows],
            [row[layout.ROW_OCMW_SHARE] for row in rows],
            [row[layout.ROW_PATIENT] for row in rows],
            [csv_text.encode() for csv_text, _ in texts],
            [json_text.encode() for _, json_text in texts],
            [row[layout.ROW_DECISION].encode() for row in rows],
        )
