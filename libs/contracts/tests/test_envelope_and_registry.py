from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from mediprima_contracts import (
    EVENT_CLASSES,
    Envelope,
    EventData,
    UnknownEventError,
    data_model,
    parse_envelope,
    serialize_envelope,
)
from mediprima_contracts.events import InvoiceSubmitted
from mediprima_contracts.events.topics import ALL_TOPICS
from mediprima_contracts.testing import error_code, example_events, example_invoice_submitted

EXAMPLES = example_events()


def wrap(data: EventData) -> Envelope[EventData]:
    return Envelope.wrap(data, source="test", correlation_id="corr-1")


def test_the_examples_cover_every_registered_event() -> None:
    assert sorted(type(event).__name__ for event in EXAMPLES) == sorted(
        cls.__name__ for cls in EVENT_CLASSES
    )


@pytest.mark.parametrize("event", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_event_names_its_type_version_topic_and_subject(event: type[EventData]) -> None:
    assert event.event_type.startswith("mediprima.")
    assert event.event_version >= 1
    assert event.topic in ALL_TOPICS
    assert event.subject_field in event.model_fields
    assert data_model(event.event_type, event.event_version) is event


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda event: type(event).__name__)
def test_every_event_round_trips_through_bytes(data: EventData) -> None:
    envelope = wrap(data)
    parsed = parse_envelope(serialize_envelope(envelope))
    assert parsed == envelope
    assert type(parsed.data) is type(data)
    assert parsed.topic == data.topic


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda event: type(event).__name__)
def test_every_event_round_trips_through_a_dict(data: EventData) -> None:
    envelope = wrap(data)
    assert parse_envelope(json.loads(serialize_envelope(envelope))) == envelope


def test_wrap_takes_type_version_and_subject_from_the_data() -> None:
    data = example_invoice_submitted()
    at = datetime(2025, 1, 1, tzinfo=UTC)
    envelope = Envelope.wrap(
        data, source="invoicing", correlation_id="c", occurred_at=at, event_id=uuid.UUID(int=1)
    )
    assert (envelope.type, envelope.version) == ("mediprima.invoice.submitted", 1)
    assert envelope.subject == data.invoice_id
    assert envelope.topic == "mediprima.invoices"
    assert envelope.occurred_at == at
    assert envelope.id == uuid.UUID(int=1)
    assert Envelope.wrap(data, subject="other", source="s", correlation_id="c").subject == "other"


def test_wrap_serialises_the_whole_payload() -> None:
    data = example_invoice_submitted()
    dumped = json.loads(serialize_envelope(wrap(data)))
    assert dumped["data"]["invoice_id"] == data.invoice_id
    assert dumped["data"]["lines"][0]["amount"] == "30.00"


def test_an_envelope_whose_type_is_not_its_datas_is_refused() -> None:
    document = json.loads(serialize_envelope(wrap(example_invoice_submitted())))
    document["version"] = 1
    envelope = Envelope[InvoiceSubmitted]
    document["type"] = "mediprima.invoice.paid"
    assert error_code(lambda: envelope.model_validate(document)) == "envelope.type_mismatch"


def test_an_unknown_event_type_or_version_is_reported() -> None:
    document = json.loads(serialize_envelope(wrap(example_invoice_submitted())))
    document["version"] = 99
    with pytest.raises(UnknownEventError) as caught:
        parse_envelope(document)
    assert (caught.value.event_type, caught.value.version) == ("mediprima.invoice.submitted", 99)


def test_an_invalid_payload_is_a_validation_error() -> None:
    document = json.loads(serialize_envelope(wrap(example_invoice_submitted())))
    document["data"]["lines"][0]["amount"] = 30.5
    with pytest.raises(ValidationError) as caught:
        parse_envelope(json.dumps(document).encode())
    assert caught.value.errors()[0]["type"] == "money.float"


def test_unknown_fields_from_a_newer_producer_are_ignored() -> None:
    envelope = wrap(example_invoice_submitted())
    document = json.loads(serialize_envelope(envelope))
    document["data"]["added_later"] = "value"
    document["trace"] = "abc"
    assert parse_envelope(document) == envelope
