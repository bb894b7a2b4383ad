"""Every known version of every decision about one person: what a read model feeds the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from mediprima_contracts.events.decisions import DecisionVersionPublished


@dataclass(frozen=True)
class VersionRef:
    """One version of one decision, e.g. the one a provider consulted (C-02)."""

    decision_number: str
    version: int


class DecisionHistory:
    """The versions of a person's decisions, whatever order and repeats they arrived in.

    A person is one person under every number (D-08): the history holds the decisions filed
    under any of the person's numbers, as the read model found them by number and identity.
    """

    def __init__(self, versions: Iterable[DecisionVersionPublished]) -> None:
        unique = {(version.decision_number, version.version): version for version in versions}
        by_number: dict[str, list[DecisionVersionPublished]] = {}
        for key in sorted(unique):
            by_number.setdefault(key[0], []).append(unique[key])
        self._by_number = {number: tuple(found) for number, found in by_number.items()}

    @property
    def empty(self) -> bool:
        return not self._by_number

    def decisions(self) -> list[tuple[DecisionVersionPublished, ...]]:
        """Each decision's versions, oldest first; decisions in number order."""
        return [self._by_number[number] for number in sorted(self._by_number)]

    def versions_of(self, decision_number: str) -> tuple[DecisionVersionPublished, ...]:
        return self._by_number.get(decision_number, ())

    def version(self, ref: VersionRef) -> DecisionVersionPublished | None:
        for found in self._by_number.get(ref.decision_number, ()):
            if found.version == ref.version:
                return found
        return None

    @cached_property
    def current_versions(self) -> list[DecisionVersionPublished]:
        return [versions[-1] for versions in self.decisions()]

    @cached_property
    def person_id(self) -> str | None:
        """The registry's identity of the person, from the most recently filed version."""
        known = [version for version in self.current_versions if version.person_id]
        return _latest(known).person_id if known else None

    @cached_property
    def replaced_numbers(self) -> frozenset[str]:
        """Numbers the person no longer goes by (a BIS number replaced, D-08)."""
        replaced = {
            number for version in self.current_versions for number in version.replaced_ssins
        }
        return frozenset(replaced - {version.ssin for version in self.current_versions})

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Every number the person was known by: past, current and pending."""
        found: set[str] = set()
        for versions in self._by_number.values():
            for version in versions:
                found.add(version.ssin)
                found.update(version.replaced_ssins)
                if version.pending_ssin:
                    found.add(version.pending_ssin)
        return frozenset(found)

    @cached_property
    def death_date(self) -> date | None:
        """The date of death as the most recently filed version that knows one records it."""
        known = [version for version in self.current_versions if version.person.death_date]
        return _latest(known).person.death_date if known else None


def _latest(versions: list[DecisionVersionPublished]) -> DecisionVersionPublished:
    return max(versions, key=lambda version: (version.filed_on or date.min, version.version))
