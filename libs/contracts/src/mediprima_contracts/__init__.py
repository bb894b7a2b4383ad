"""MediPrima contracts: the event envelope, versioned events and validated value types.

- `mediprima_contracts.values`: Ssin, RizivNumber, EnterpriseNumber, NisCode, Money, Period...
- `mediprima_contracts.components`: reusable models (Coverage, Person, Ocmw, Finding...)
- `mediprima_contracts.events`: event payloads; `registry`: parse and serialise envelopes
- `mediprima_contracts.testing`: factories of valid identifiers and example events
"""

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import (
    EVENT_CLASSES,
    UnknownEventError,
    data_model,
    parse_envelope,
    serialize_envelope,
)

__all__ = [
    "EVENT_CLASSES",
    "Envelope",
    "EventData",
    "UnknownEventError",
    "data_model",
    "parse_envelope",
    "serialize_envelope",
]
