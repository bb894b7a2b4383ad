"""What the OCMW pages compute: a decision's versions side by side, the statement's chart and
its names (taken from the statement itself)."""

from decimal import Decimal

from console import charts
from console.ocmw.statements import named_lines
from console.ocmw.versions import side_by_side


def test_each_field_is_a_row_and_a_change_is_marked_on_the_version_that_made_it() -> None:
    first = {
        "version": 1,
        "period": {"start": "2026-01-01", "end": "2026-03-31"},
        "coverages": [{"care_type": "general_medicine", "providers": ["10000000003"]}],
        "comment": None,
    }
    second = {**first, "version": 2, "period": {"start": "2026-01-01", "end": "2026-06-30"}}

    rows = {row.name: row for row in side_by_side([first, second])}

    assert rows["period.end"].values == ["2026-03-31", "2026-06-30"]
    assert rows["period.end"].changed == [False, True]
    assert rows["period.start"].ever_changed is False
    assert rows["coverages[1].providers"].values == ["10000000003", "10000000003"]
    assert "version" not in rows
    assert "comment" not in rows


def test_the_statement_chart_splits_the_month_into_its_three_shares() -> None:
    segments = charts.shares(
        {"state_share": "75.00", "ocmw_share": "20.00", "patient_share": "5.00"}
    )

    assert [(segment.kind, segment.percent) for segment in segments] == [
        ("state_share", Decimal("75.0")),
        ("ocmw_share", Decimal("20.0")),
        ("patient_share", Decimal("5.0")),
    ]
    assert segments[1].x == segments[0].width
    assert sum(segment.width for segment in segments) == charts.SHARES_WIDTH
    assert all(segment.width == 0 for segment in charts.shares(dict.fromkeys(charts.SHARES, "0")))


def test_the_statement_page_names_each_person_as_the_statement_does() -> None:
    line = {"decision_number": "2026000123", "ssin": "85073012345", "invoice_id": "inv-1"}
    body = {
        "lines": [
            {**line, "last_name": "Peeters", "first_name": "An"},
            {**line, "invoice_id": "inv-2", "last_name": None, "first_name": None},
            {**line, "invoice_id": "inv-3"},  # a month settled before statements named anyone
        ]
    }

    shown = named_lines(body)

    assert [(row.line["invoice_id"], row.name) for row in shown.lines] == [
        ("inv-1", "Peeters, An"),
        ("inv-2", ""),
        ("inv-3", ""),
    ]
