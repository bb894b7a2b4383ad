"""RFC 7240 `Prefer`: whether a caller asked to be answered before long work is done."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

RESPOND_ASYNC = "respond-async"

PreferHeader = Annotated[
    str | None,
    Header(
        alias="Prefer",
        max_length=200,
        description="`respond-async`: answer `202` at once, with the `Location` to follow.",
        examples=[RESPOND_ASYNC],
    ),
]


def prefers_respond_async(prefer: str | None) -> bool:
    """`Prefer: respond-async` (among other preferences, with or without parameters)."""
    if not prefer:
        return False
    names = (preference.split(";")[0].split("=")[0] for preference in prefer.split(","))
    return any(name.strip().lower() == RESPOND_ASYNC for name in names)
