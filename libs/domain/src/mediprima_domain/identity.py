"""One person under every number (D-08): the key money follows.

The registry gives each person an id that survives a number change (a BIS number replaced by a
register number). What is counted per person — duplicate care (I-02), the OCMW's monthly cap
(T-03) — is counted under that id, or under the number where no decision identifies the person.
"""

from __future__ import annotations

from collections.abc import Iterable

NUMBER_KEY_PREFIX = "ssin:"


def person_key(*, person_id: str | None, ssin: str) -> str:
    """The registry's person id, or `ssin:<number>` for a person no decision identifies."""
    return person_id if person_id is not None else f"{NUMBER_KEY_PREFIX}{ssin}"


def person_keys(*, person_id: str | None, numbers: Iterable[str]) -> set[str]:
    """Every key a person's rows may carry: before the registry knew them (by each number they
    had) and after (by their id)."""
    keys = {f"{NUMBER_KEY_PREFIX}{number}" for number in numbers}
    return keys | ({person_id} if person_id else set())
