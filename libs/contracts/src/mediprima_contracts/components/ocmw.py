"""The welfare centre (OCMW/CPAS) that decides and pays."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mediprima_contracts.base import ContractModel
from mediprima_contracts.values import EnterpriseNumber, NisCode


class Language(StrEnum):
    """Working language of an OCMW."""

    NL = "nl"
    FR = "fr"
    DE = "de"


class Ocmw(ContractModel):
    """An OCMW, identified by its enterprise number."""

    enterprise_number: EnterpriseNumber = Field(description="KBO/BCE enterprise number, 10 digits.")
    municipality_nis: NisCode = Field(description="NIS code of the OCMW's municipality.")
    name_nl: str | None = Field(default=None, max_length=200, description="Name in Dutch.")
    name_fr: str | None = Field(default=None, max_length=200, description="Name in French.")
    language: Language | None = Field(default=None, description="Working language.")
