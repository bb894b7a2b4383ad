"""RFC 7240: `Prefer: respond-async` is found among other preferences, and only it."""

import pytest

from servicekit.prefer import prefers_respond_async


@pytest.mark.parametrize(
    ("prefer", "expected"),
    [
        ("respond-async", True),
        ("wait=10, Respond-Async", True),
        ("respond-async; foo=bar, return=minimal", True),
        ("return=minimal", False),
        ("respond-asynchronously", False),
        ("", False),
        (None, False),
    ],
)
def test_respond_async_is_asked_for_by_its_name(prefer: str | None, expected: bool) -> None:
    assert prefers_respond_async(prefer) is expected
