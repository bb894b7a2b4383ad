"""Test oracles: what a read model holds, computed from a list of versions without a database."""

from __future__ import annotations

from collections.abc import Iterable

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_domain.coverage.history import DecisionHistory


def history_about(versions: Iterable[DecisionVersionPublished], ssin: str) -> DecisionHistory:
    """The history `mediprima_domain.readmodel.DecisionReadModel.history_for` answers: every
    version of the decisions that named `ssin` (as current, replaced or pending number), and of
    the decisions of the same person."""
    every = list(versions)

    def numbers(version: DecisionVersionPublished) -> set[str]:
        pending = {version.pending_ssin} if version.pending_ssin else set()
        return {version.ssin, *version.replaced_ssins} | pending

    by_number = {version.decision_number for version in every if ssin in numbers(version)}
    persons = {
        version.person_id
        for version in every
        if version.decision_number in by_number and version.person_id
    }
    decisions = by_number | {
        version.decision_number for version in every if version.person_id in persons
    }
    return DecisionHistory(version for version in every if version.decision_number in decisions)
