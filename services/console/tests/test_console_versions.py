"""A decision's versions side by side: what changed from one version to the next."""

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
