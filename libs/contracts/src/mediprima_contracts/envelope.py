"""The envelope every MediPrima event travels in, on Kafka and on the SQL event log alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.base import ContractModel
from mediprima_contracts.values.instant import Instant

DataT = TypeVar("DataT", bound=BaseModel)
EventT = TypeVar("EventT", bound="EventData")


class EventData(ContractModel):
    """Base of every event payload: names its type, schema version, topic and key field once.

    Unknown fields are ignored (see `ContractModel`), so adding an optional field to a version
    does not break consumers that have not upgraded yet.
    """

    event_type: ClassVar[str]
    event_version: ClassVar[int]
    topic: ClassVar[str]
    subject_field: ClassVar[str]
    """Name of the field holding the aggregate id: the envelope's subject and the Kafka key."""

    @property
    def aggregate_id(self) -> str:
        return str(getattr(self, self.subject_field))


def envelope_type(data_model: type[EventT]) -> type[Envelope[EventT]]:
    """`Envelope[data_model]`, for a data model only known at run time."""
    return cast("type[Envelope[EventT]]", Envelope.__class_getitem__(data_model))


class Envelope(BaseModel, Generic[DataT]):
    """One event: stable metadata around a versioned payload."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    id: uuid.UUID = Field(
        description="Unique event id set by the producer; consumers drop repeats."
    )
    type: str = Field(description="Event type, e.g. `mediprima.invoice.submitted`.")
    version: int = Field(ge=1, description="Schema version of `data`.")
    occurred_at: Instant = Field(description="When the state change happened.")
    source: str = Field(description="The service that produced the event.")
    subject: str = Field(description="Aggregate id; also the Kafka message key.")
    correlation_id: str = Field(description="Id of the request or event chain that caused it.")
    data: DataT = Field(description="The versioned payload.")

    @model_validator(mode="after")
    def _type_and_version_match_data(self) -> Self:
        if isinstance(self.data, EventData) and (self.type, self.version) != (
            self.data.event_type,
            self.data.event_version,
        ):
            raise PydanticCustomError(
                "envelope.type_mismatch", "the envelope's type and version are not its data's"
            )
        return self

    @classmethod
    def wrap(
        cls,
        data: EventT,
        *,
        subject: str | None = None,
        source: str,
        correlation_id: str,
        occurred_at: datetime | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Envelope[EventT]:
        """Put `data` in an envelope typed by its own class; `subject` defaults to its id."""
        return envelope_type(type(data))(
            id=event_id or uuid.uuid4(),
            type=data.event_type,
            version=data.event_version,
            occurred_at=occurred_at or datetime.now(UTC),
            source=source,
            subject=data.aggregate_id if subject is None else subject,
            correlation_id=correlation_id,
            data=data,
        )

    @property
    def topic(self) -> str:
        topic: str = getattr(self.data, "topic")  # noqa: B009 - ClassVar on a generic payload
        return topic


RawEnvelope = Envelope[Any]
