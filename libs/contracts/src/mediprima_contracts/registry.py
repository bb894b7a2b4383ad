"""Which data model reads which event, and the envelope's wire form (JSON bytes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from mediprima_contracts.envelope import Envelope, EventData, envelope_type
from mediprima_contracts.events import (
    CertificateRegistered,
    CertificateWithdrawn,
    ConsultationRecorded,
    DecisionVersionPublished,
    InvoiceAdjudicated,
    InvoiceLinesCancelled,
    InvoiceLinesCredited,
    InvoicePaid,
    InvoicePriced,
    InvoiceSubmitted,
    RegisterMutationReported,
    SettlementClosed,
)

EVENT_CLASSES: Final[tuple[type[EventData], ...]] = (
    DecisionVersionPublished,
    ConsultationRecorded,
    CertificateRegistered,
    CertificateWithdrawn,
    RegisterMutationReported,
    InvoiceSubmitted,
    InvoicePriced,
    InvoiceAdjudicated,
    InvoicePaid,
    InvoiceLinesCancelled,
    InvoiceLinesCredited,
    SettlementClosed,
)
"""Every event version in use. Add a new version here; never drop one consumers still read."""


def _index(classes: tuple[type[EventData], ...]) -> dict[tuple[str, int], type[EventData]]:
    index = {(cls.event_type, cls.event_version): cls for cls in classes}
    if len(index) != len(classes):
        raise RuntimeError("two event classes claim the same type and version")
    return index


_BY_TYPE_AND_VERSION: Final = _index(EVENT_CLASSES)


class UnknownEventError(LookupError):
    """No data model is registered for this event type and version."""

    def __init__(self, event_type: str, version: int) -> None:
        super().__init__(f"no data model for event {event_type!r} version {version}")
        self.event_type = event_type
        self.version = version


class _Header(BaseModel):
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    type: str
    version: int


def data_model(event_type: str, version: int) -> type[EventData]:
    """The data model of `event_type` at `version`; raise UnknownEventError when unknown."""
    try:
        return _BY_TYPE_AND_VERSION[(event_type, version)]
    except KeyError:
        raise UnknownEventError(event_type, version) from None


def parse_envelope(raw: bytes | bytearray | str | Mapping[str, Any]) -> Envelope[EventData]:
    """Read an envelope with the data model its type and version name.

    Raises UnknownEventError for an unregistered type/version and pydantic's ValidationError
    for an invalid payload: both are poison for a consumer.
    """
    if isinstance(raw, Mapping):
        header = _Header.model_validate(raw)
        model = envelope_type(data_model(header.type, header.version))
        return model.model_validate(raw)
    header = _Header.model_validate_json(raw)
    model = envelope_type(data_model(header.type, header.version))
    return model.model_validate_json(raw)


def serialize_envelope(envelope: Envelope[Any]) -> bytes:
    """The envelope as UTF-8 JSON bytes, as written to the outbox and the bus."""
    return envelope.model_dump_json().encode()
