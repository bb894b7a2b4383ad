"""The published schema of the settlement files (S-03): JSON Schema of the JSON files and a
table schema of the CSV files, written to services/settlement/schemas/ by
`uv run python -m settlement.settlements.files.published_schema`; a test keeps them current.

These describe the current layout (3). The schemas of earlier layouts, which months closed in
them keep, stay published unchanged: layout 1's in schemas/v1/, layout 2's OCMW statement in
schemas/v2/ (layout 3 left the funder's file as it was in layout 2)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.values import PersonId
from settlement.settlements.files import layout

SCHEMA_DIR = Path(__file__).resolve().parents[4] / "schemas"
BASE_URI = "https://mediprima.example/schemas/settlement"

Amount = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+\.[0-9]{2}$",
        description="Euro amount, two decimals, dot separator; negative on credits.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileLine(_Strict):
    """One ledger line: a paid line, or the credit of a paid line (negative shares)."""

    ocmw: str = Field(pattern=r"^[0-9]{10}$", description="Enterprise number of the OCMW.")
    provider: str = Field(pattern=r"^[0-9]{11}$", description="RIZIV number of the provider.")
    ssin: str = Field(
        pattern=r"^[0-9]{11}$", description="SSIN (card number) the line was billed under."
    )
    person_id: PersonId | None = Field(
        description="The person in the registry, the same under every SSIN they had (D-08); "
        "null when no person was known: the person is then the SSIN."
    )
    invoice_id: str = Field(description="The invoice the line belongs to.")
    line_number: int = Field(ge=1, description="Line number within the invoice.")
    entry: Literal["paid", "credit"] = Field(description="A payment, or a credit correcting one.")
    booking_reference: str = Field(description="Payment reference (paid) or credit reference.")
    payment_reference: str = Field(
        description="The payment of the line; on a credit, the payment it corrects: with "
        "invoice_id and line_number it names the original line."
    )
    decision_number: str = Field(description="Decision (medical card) number.")
    decision_version: int = Field(ge=1, description="Version of that decision.")
    urgent_medical_aid: bool = Field(description="Paid as urgent medical aid (DMH/AMU).")
    code: str = Field(pattern=r"^[0-9]{6}$", description="RIZIV nomenclature code.")
    date_of_care: date = Field(description="Day the care was given.")
    state_share: Amount
    ocmw_share: Amount
    patient_share: Amount
    total: Amount = Field(description="state_share + ocmw_share + patient_share (S-04).")


class StatementLine(FileLine):
    """One line of an OCMW statement: the funder file's line and the person's name."""

    last_name: str | None = Field(
        description="The person's family name as the OCMW knows it from the decision of the "
        "line (its latest version when the month was last computed); null when the settlement "
        "saw no decision of that number."
    )
    first_name: str | None = Field(
        description="The person's given name(s), as `last_name`; null when none is known."
    )


class FileTotals(_Strict):
    """Sums over a set of lines."""

    state_share: Amount
    ocmw_share: Amount
    patient_share: Amount
    total: Amount
    lines: int = Field(ge=0, description="Number of lines.")
    invoices: int = Field(ge=0, description="Number of distinct invoices.")


class OcmwTotalsEntry(FileTotals):
    enterprise_number: str = Field(pattern=r"^[0-9]{10}$", description="The OCMW.")


class ProviderTotals(FileTotals):
    provider: str = Field(pattern=r"^[0-9]{11}$", description="The provider.")


class PersonTotals(FileTotals):
    person_id: PersonId | None = Field(
        description="The person in the registry; null when none was known (then the SSIN)."
    )
    ssin: str = Field(
        pattern=r"^[0-9]{11}$",
        description="The latest SSIN the person's lines of the month were booked under: a "
        "person billed under an old and a new number has one entry, under the new one.",
    )
    last_name: str | None = Field(
        description="Family name from the decision of the person's latest line (as on that "
        "line); null when none is known."
    )
    first_name: str | None = Field(description="Given name(s), as `last_name`.")


class FunderFile(_Strict):
    """S-01: the month the payer settles with the funder (POD MI): every line and the totals."""

    format: Literal["mediprima.settlement.funder-file/2"] = Field(description="Layout version.")
    settlement_id: str = Field(description="The month's settlement.")
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="Month settled.")
    lines: list[FileLine] = Field(
        description="Ordered by OCMW, provider, person, SSIN, invoice, line."
    )
    per_ocmw: list[OcmwTotalsEntry] = Field(description="Totals per OCMW, by enterprise number.")
    totals: FileTotals = Field(description="The month's totals.")


class StatementOcmw(_Strict):
    enterprise_number: str = Field(pattern=r"^[0-9]{10}$", description="The OCMW.")
    name: str = Field(description="Its name in the statement's language.")
    language: Literal["nl", "fr"] = Field(description="Language of the statement.")


class OcmwStatement(_Strict):
    """S-02: one OCMW's month: its lines, its totals per provider, per person and overall."""

    format: Literal["mediprima.settlement.ocmw-statement/3"] = Field(description="Layout version.")
    settlement_id: str = Field(description="The month's settlement.")
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="Month settled.")
    ocmw: StatementOcmw = Field(description="The OCMW the statement is for.")
    lines: list[StatementLine] = Field(
        description="Ordered by provider, person, SSIN, invoice, line."
    )
    per_provider: list[ProviderTotals] = Field(description="Totals per provider.")
    per_person: list[PersonTotals] = Field(
        description="Totals per person (person_id, or the SSIN where none), by SSIN."
    )
    totals: FileTotals = Field(description="The OCMW's totals for the month.")


CSV_FIELDS: dict[str, tuple[str, str]] = {
    "record_type": ("string", "line | ocmw_total (funder) | provider_total | person_total "
                    "(statement) | total (last record)"),
    "month": ("string", "Month settled, YYYY-MM."),
    "ocmw": ("string", "Enterprise number of the OCMW (empty on the funder file's total)."),
    "provider": ("string", "RIZIV number (lines, provider_total)."),
    "ssin": ("string", "SSIN billed (lines); the person's latest SSIN (person_total)."),
    "person_id": ("string", "The person in the registry, empty when none was known (lines, "
                  "person_total)."),
    "invoice_id": ("string", "Lines only."),
    "line_number": ("integer", "Lines only."),
    "entry": ("string", "paid | credit (lines only)."),
    "booking_reference": ("string", "Payment or credit reference (lines only)."),
    "payment_reference": ("string", "The payment; on a credit, the payment it corrects."),
    "decision_number": ("string", "Lines only."),
    "decision_version": ("integer", "Lines only."),
    "urgent_medical_aid": ("boolean", "true | false (lines only)."),
    "code": ("string", "RIZIV nomenclature code (lines only)."),
    "date_of_care": ("date", "YYYY-MM-DD (lines only)."),
    "state_share": ("number", "Euro, two decimals, dot; negative on credits."),
    "ocmw_share": ("number", "Euro, two decimals, dot; negative on credits."),
    "patient_share": ("number", "Euro, two decimals, dot; negative on credits."),
    "total": ("number", "state_share + ocmw_share + patient_share."),
    "lines": ("integer", "Total records only: number of lines."),
    "invoices": ("integer", "Total records only: number of distinct invoices."),
    "last_name": ("string", "OCMW statement only: the person's family name from the decision "
                  "(lines, person_total), always quoted; empty when none is known."),
    "first_name": ("string", "OCMW statement only: the person's given name(s), as last_name."),
}  # fmt: skip


def schemas() -> dict[str, dict[str, Any]]:
    """Every published schema by file name."""
    documents: dict[str, dict[str, Any]] = {}
    for name, model, named in (
        ("funder-file", FunderFile, False),
        ("ocmw-statement", OcmwStatement, True),
    ):
        schema = model.model_json_schema()
        documents[f"{name}.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE_URI}/{name}.schema.json",
            **schema,
        }
        documents[f"{name}.csv.json"] = {
            "$id": f"{BASE_URI}/{name}.csv.json",
            "title": f"{model.__name__} as CSV",
            "description": "RFC 4180 CSV, UTF-8, comma-separated, CRLF, one header row. Lines "
            "first, then total records; empty cells where a column does not apply.",
            "fields": [
                {
                    "name": column,
                    "type": CSV_FIELDS[column][0],
                    "description": CSV_FIELDS[column][1],
                }
                for column in layout.csv_columns(layout.CURRENT_LAYOUT, named=named)
            ],
        }
    return documents


def write() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMA_DIR / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write()
