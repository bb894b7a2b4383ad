"""What the answers to a load say about the requests sent."""

from __future__ import annotations

from collections.abc import Mapping


class LoadError(RuntimeError):
    """The load generator failed, or the server refused what it was sent."""


def check_answers(statuses: Mapping[str, int], accepted: tuple[int, ...]) -> None:
    """A refusal (4xx other than `accepted`) means the bench sent something wrong: stop.
    Server errors and requests left without an answer are how an overloaded server fails:
    they stay in the figure's details."""
    refused = {
        code: count
        for code, count in statuses.items()
        if 400 <= int(code) < 500 and int(code) not in accepted
    }
    if refused:
        raise LoadError(f"requests refused (expected {accepted}): {dict(statuses)}")
