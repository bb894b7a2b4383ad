"""Plain identifiers: strings with a shape and no check digits."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
]
"""An id assigned by a service (invoice, consultation, agreement, certificate, settlement...)."""

DecisionNumber = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{1,20}$"), Field(examples=["2026000123"])
]
"""Number of a decision (medical card), digits assigned by the registry, never changed."""

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""A SHA-256 digest in lower-case hex."""

PersonId = Annotated[
    str,
    StringConstraints(pattern=r"^P[0-9a-f]{32}$"),
    Field(examples=["P3f2b8c1e6d4a4b7e9c2d5a1f0e8b7c6d"]),
]
"""A person's identity in the registry: stays the same when the SSIN changes (D-08)."""

CourtReference = Annotated[str, StringConstraints(min_length=1, max_length=100)]
"""The reference (roll number) of a court decision."""
