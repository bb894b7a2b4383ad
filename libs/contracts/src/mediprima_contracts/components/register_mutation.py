"""Kinds of change the national register reports."""

from __future__ import annotations

from enum import StrEnum


class MutationKind(StrEnum):
    """A change reported by the national register (via the Crossroads Bank)."""

    NAME_CHANGE = "name_change"
    SSIN_CHANGE = "ssin_change"
    RESIDENCE_CHANGE = "residence_change"
    DEATH = "death"
    FUND_AFFILIATION = "fund_affiliation"
