"""The names one OCMW's statement shows (layout 3 on), by decision number, as the month's last
run froze them (repository.frozen_names): what each line and per-person total adds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from settlement.settlements.files import layout


@dataclass(frozen=True, slots=True)
class PersonName:
    last_name: str
    first_name: str

    @property
    def shown(self) -> str:
        """`Peeters, An`: how the PDF shows it."""
        return f"{self.last_name}, {self.first_name}"


_UNNAMED = tuple(text.encode() for text in layout.name_texts(None, None))


class StatementNames:
    """One OCMW's frozen names. A number the settlement saw no decision of has no name: its
    lines show the number with empty names, and nothing fails."""

    def __init__(self, by_decision: Mapping[str, PersonName]) -> None:
        self._names = dict(by_decision)
        self._texts = {
            number.encode(): tuple(
                text.encode() for text in layout.name_texts(name.last_name, name.first_name)
            )
            for number, name in by_decision.items()
        }

    def of(self, decision_number: str | None) -> PersonName | None:
        return self._names.get(decision_number) if decision_number else None

    def csv_suffix(self, decision_number: bytes) -> bytes:
        return self._texts.get(decision_number, _UNNAMED)[0]

    def json_end(self, decision_number: bytes) -> bytes:
        return self._texts.get(decision_number, _UNNAMED)[1]


NO_NAMES = StatementNames({})
