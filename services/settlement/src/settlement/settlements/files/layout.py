"""The layout of every settlement file (S-03): one line layout shared by the funder file and the
OCMW statements, in CSV and JSON. services/settlement/README.md documents it and
services/settlement/schemas/ publishes it as JSON Schema; change all three together."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from settlement.settlements.rules import Sums

# Layout 2 adds the person (`person_id`) to every line and to the per-person totals, which add
# up by person rather than by number. Layout 3 names the person, as the OCMW knows them from
# its decision, on every line and per-person total of the OCMW statements (never in the
# funder's file, which stays as in layout 2). Earlier layouts stay for the months closed in
# them: a closed month's files are written again, byte for byte, whenever they are downloaded.
LAYOUT_1, LAYOUT_2, LAYOUT_3 = 1, 2, 3
CURRENT_LAYOUT = LAYOUT_3
FUNDER_FORMATS = {
    LAYOUT_1: "mediprima.settlement.funder-file/1",
    LAYOUT_2: "mediprima.settlement.funder-file/2",
    LAYOUT_3: "mediprima.settlement.funder-file/2",
}
STATEMENT_FORMATS = {
    LAYOUT_1: "mediprima.settlement.ocmw-statement/1",
    LAYOUT_2: "mediprima.settlement.ocmw-statement/2",
    LAYOUT_3: "mediprima.settlement.ocmw-statement/3",
}

CSV_COLUMNS = (
    "record_type",
    "month",
    "ocmw",
    "provider",
    "ssin",
    "person_id",
    "invoice_id",
    "line_number",
    "entry",
    "booking_reference",
    "payment_reference",
    "decision_number",
    "decision_version",
    "urgent_medical_aid",
    "code",
    "date_of_care",
    "state_share",
    "ocmw_share",
    "patient_share",
    "total",
    "lines",
    "invoices",
)
_CSV_COLUMNS_1 = tuple(column for column in CSV_COLUMNS if column != "person_id")
# Appended after the columns the funder's file shares: a statement line is the funder's line
# and the name, and a reader that takes columns by position reads the shared ones unchanged.
NAME_COLUMNS = ("last_name", "first_name")
_EMPTY_LINE_PART = ("",) * 10  # invoice_id … date_of_care stay empty on total records

# Positions in a ledger row as repository.stream_lines gives it (see line_texts).
ROW_OCMW, ROW_INVOICE_ID, ROW_DECISION = 0, 4, 9
ROW_STATE, ROW_OCMW_SHARE, ROW_PATIENT = 14, 15, 16


def csv_columns(layout: int, *, named: bool = False) -> tuple[str, ...]:
    """The columns of a file; `named`: an OCMW statement's, which name the person from
    layout 3 on."""
    columns = CSV_COLUMNS if layout >= LAYOUT_2 else _CSV_COLUMNS_1
    return columns + NAME_COLUMNS if named and layout >= LAYOUT_3 else columns


def names_in(layout: int) -> bool:
    """Whether the OCMW statements of a month in `layout` name each person."""
    return layout >= LAYOUT_3


def money(cents: int) -> str:
    """Cents as a decimal amount with two places and a dot: 1234 → 12.34, -5 → -0.05.

    Exact: below 10^13 cents a double's error stays far under half a cent, and `.2f` rounds to
    the nearest cent, which is the amount itself."""
    return f"{cents / 100:.2f}"


def _csv_record(values: Iterable[str]) -> str:
    return ",".join(values) + "\r\n"


def csv_header(layout: int, *, named: bool = False) -> str:
    return _csv_record(csv_columns(layout, named=named))


def csv_text(value: str | None) -> str:
    """A name as a CSV field: quoted always (a name may hold a comma or a quote), doubled
    quotes inside; empty when there is none."""
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def name_texts(last_name: str | None, first_name: str | None) -> tuple[str, str]:
    """What a person's name adds to a statement line: after its CSV record (without CRLF),
    and in place of its JSON object's closing brace. None: the settlement saw no decision."""
    csv_part = f",{csv_text(last_name)},{csv_text(first_name)}"
    json_part = f',"last_name":{json_value(last_name)},"first_name":{json_value(first_name)}}}'
    return csv_part, json_part


# Every text value of a line is digits or a contract `Identifier` ([A-Za-z0-9._:-]), so no
# field needs CSV quoting or JSON escaping: lines are written with plain formatting, which
# keeps a month of millions of lines fast. Names, which may hold anything, are added after
# (name_texts), in Python on either database.
def line_texts(month: str, row: Sequence[Any], layout: int) -> tuple[str, str]:
    """One ledger line as a CSV record (without its CRLF) and as a JSON object."""
    (
        ocmw,
        provider,
        ssin,
        person_id,
        invoice_id,
        line_number,
        kind,
        booking_reference,
        payment_reference,
        decision_number,
        version,
        urgent,
        code,
        date_of_care,
        state,
        ocmw_share,
        patient,
    ) = row
    state_text, ocmw_text, patient_text = money(state), money(ocmw_share), money(patient)
    total_text = money(state + ocmw_share + patient)
    urgent_text = "true" if urgent else "false"
    care = str(date_of_care)
    if layout >= LAYOUT_2:
        person_csv = f"{person_id or ''},"
        person_json = f'"person_id":"{person_id}",' if person_id else '"person_id":null,'
    else:
        person_csv = person_json = ""
    csv_text = (
        f"line,{month},{ocmw},{provider},{ssin},{person_csv}{invoice_id},{line_number},{kind},"
        f"{booking_reference},{payment_reference},{decision_number},{version},{urgent_text},"
        f"{code},{care},{state_text},{ocmw_text},{patient_text},{total_text},,"
    )
    json_text = (
        f'{{"ocmw":"{ocmw}","provider":"{provider}","ssin":"{ssin}",{person_json}'
        f'"invoice_id":"{invoice_id}","line_number":{line_number},"entry":"{kind}",'
        f'"booking_reference":"{booking_reference}","payment_reference":"{payment_reference}",'
        f'"decision_number":"{decision_number}","decision_version":{version},'
        f'"urgent_medical_aid":{urgent_text},"code":"{code}","date_of_care":"{care}",'
        f'"state_share":"{state_text}","ocmw_share":"{ocmw_text}",'
        f'"patient_share":"{patient_text}","total":"{total_text}"}}'
    )
    return csv_text, json_text  # fmt: skip


def csv_total(
    month: str,
    record_type: str,
    sums: Sums,
    *,
    layout: int,
    ocmw: str = "",
    provider: str = "",
    ssin: str = "",
    person_id: str = "",
    name: tuple[str | None, str | None] | None = None,
) -> str:
    """A total record; `name`: the person's (last, first) on a statement that names persons,
    (None, None) on its other totals."""
    person = (person_id,) if layout >= LAYOUT_2 else ()
    names = () if name is None else tuple(csv_text(part) for part in name)
    return _csv_record(
        (
            record_type, month, ocmw, provider, ssin, *person, *_EMPTY_LINE_PART,
            money(sums.state_share), money(sums.ocmw_share), money(sums.patient_share),
            money(sums.total), str(sums.lines), str(sums.invoices), *names,
        )
    )  # fmt: skip


def json_totals(sums: Sums, **keys: str | None) -> dict[str, Any]:
    return {
        **keys,
        "state_share": money(sums.state_share),
        "ocmw_share": money(sums.ocmw_share),
        "patient_share": money(sums.patient_share),
        "total": money(sums.total),
        "lines": sums.lines,
        "invoices": sums.invoices,
    }


def json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def file_name(kind: str, month: str, extension: str, *, ocmw: str | None = None) -> str:
    """`funder-2026-11.csv`, `ocmw-0212345678-2026-11.pdf`: the keys of the checksums."""
    return f"{kind}-{ocmw}-{month}.{extension}" if ocmw else f"{kind}-{month}.{extension}"
