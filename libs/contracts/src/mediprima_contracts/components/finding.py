"""A finding of a domain rule: a warning on a success, or why a line was rejected."""

from __future__ import annotations

from pydantic import Field

from mediprima_contracts.base import ContractModel


class Finding(ContractModel):
    """One rule's verdict, findable from its rule id in domain.md."""

    rule: str = Field(
        pattern=r"^[A-Z]-[0-9]{2}[a-z]?$",
        description="Id of the domain rule (domain.md), e.g. `D-04` or `I-05b`.",
        examples=["D-05"],
    )
    code: str = Field(
        pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$",
        description="Stable machine code, lower-case and dotted, e.g. `care.before_cutoff`.",
        examples=["care.before_cutoff"],
    )
    message: str = Field(
        min_length=1, description="Human-readable explanation; never holds medical details."
    )
