"""What the OCMW pages compute: a decision's versions side by side, the statement's chart."""

from decimal import Decimal

from console import charts
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
