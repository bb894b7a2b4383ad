from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from mediprima_contracts.values import Instant


class Stamped(BaseModel):
    at: Instant


def test_an_instant_serialises_in_utc_with_its_offset() -> None:
    brussels = timezone(timedelta(hours=1))
    stamped = Stamped(at=datetime(2026, 12, 1, 21, 0, 56, 139375, tzinfo=brussels))

    assert stamped.model_dump(mode="json") == {"at": "2026-12-01T20:00:56.139375Z"}
    assert stamped.at.tzinfo is UTC


def test_a_naive_timestamp_is_refused_as_ambiguous() -> None:
    with pytest.raises(ValidationError) as refused:
        Stamped(at=datetime(2026, 12, 1, 20, 0))  # noqa: DTZ001 - the naive input under test

    assert refused.value.errors()[0]["type"] == "timezone_aware"


def test_an_instant_is_documented_as_a_date_time() -> None:
    assert Stamped.model_json_schema()["properties"]["at"] == {
        "format": "date-time",
        "title": "At",
        "type": "string",
    }
