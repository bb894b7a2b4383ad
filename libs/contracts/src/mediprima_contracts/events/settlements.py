"""Events of the settlement family (topic `mediprima.settlements`, keyed by settlement id)."""

from __future__ import annotations

from pydantic import Field

from mediprima_contracts.components import SettlementTotals
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import Identifier, Instant, Sha256Hex, YearMonth


class SettlementClosed(EventData):
    """A month's settlement was closed; it never changes afterwards (S-04)."""

    event_type = "mediprima.settlement.closed"
    event_version = 1
    topic = topics.SETTLEMENTS
    subject_field = "settlement_id"

    settlement_id: Identifier = Field(description="Id of the settlement run.")
    month: YearMonth = Field(description="The month settled, `YYYY-MM`.")
    closed_at: Instant = Field(description="When the settlement was closed.")
    totals: SettlementTotals = Field(description="What the month adds up to.")
    file_checksums: dict[str, Sha256Hex] = Field(
        description="SHA-256 of each file produced (funder file, OCMW statements), by name."
    )
