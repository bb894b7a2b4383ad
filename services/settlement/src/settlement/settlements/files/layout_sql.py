"""A file line written by PostgreSQL (for `COPY`), byte for byte what layout.line_texts writes:
a month of a million lines is formatted in the server instead of a Python call per line.
Change it with layout.py; tests/test_settlement_line_sql.py holds the two together."""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, literal_column

from settlement.settlements.files.layout import LAYOUT_2


def _money(cents: str) -> str:
    # bigint * numeric(scale 2) is exact with exactly two places: 1234 → 12.34, -5 → -0.05
    return f"(({cents}) * 0.01)::text"


# The texts both formats share, made once per line (`parts`), which the lines then name.
PARTS = {
    "urgent_text": "CASE WHEN urgent_medical_aid THEN 'true' ELSE 'false' END",
    "care_text": "to_char(date_of_care, 'YYYY-MM-DD')",
    "state_text": _money("state_share"),
    "ocmw_share_text": _money("ocmw_share"),
    "patient_text": _money("patient_share"),
    "total_text": _money("state_share + ocmw_share + patient_share"),
}


def parts() -> list[ColumnElement[str]]:
    return [literal_column(sql, String).label(name) for name, sql in PARTS.items()]


def csv_line(layout: int) -> ColumnElement[str]:
    """The CSV record without its CRLF (NULL-free: concat_ws would skip a NULL)."""
    person = ["coalesce(person_id, '')"] if layout >= LAYOUT_2 else []
    fields = [
        "'line'", "month", "ocmw", "provider", "ssin", *person, "invoice_id", "line_number",
        "kind", "booking_reference", "payment_reference", "decision_number", "version",
        "urgent_text", "code", "care_text", "state_text", "ocmw_share_text", "patient_text",
        "total_text", "''", "''",
    ]  # fmt: skip
    return literal_column(f"concat_ws(',', {', '.join(fields)})", String)


def json_line(layout: int) -> ColumnElement[str]:
    """The JSON object of a line, as layout.line_texts writes it."""
    person = (
        ["""CASE WHEN coalesce(person_id, '') = '' THEN '"person_id":null,'"""
         """ ELSE '"person_id":"' || person_id || '",' END"""]
        if layout >= LAYOUT_2
        else []
    )  # fmt: skip
    parts = [
        """'{"ocmw":"'""", "ocmw", """'","provider":"'""", "provider", """'","ssin":"'""", "ssin",
        """'",'""", *person, """'"invoice_id":"'""", "invoice_id", """'","line_number":'""",
        "line_number", """',"entry":"'""", "kind", """'","booking_reference":"'""",
        "booking_reference", """'","payment_reference":"'""", "payment_reference",
        """'","decision_number":"'""", "decision_number", """'","decision_version":'""",
        "version", """',"urgent_medical_aid":'""", "urgent_text", """',"code":"'""", "code",
        """'","date_of_care":"'""", "care_text", """'","state_share":"'""", "state_text",
        """'","ocmw_share":"'""", "ocmw_share_text", """'","patient_share":"'""", "patient_text",
        """'","total":"'""", "total_text", """'"}'""",
    ]  # fmt: skip
    return literal_column(f"concat({', '.join(parts)})", String)
