"""The envelope every MediPrima event travels in, on Kafka and on the SQL event log alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

DataT = TypeVar("DataT", bound=BaseModel)


class EventData(BaseModel):
    """Base of every event payload: names its type, schema version and topic once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int]
    topic: ClassVar[str]


class Envelope(BaseModel, Generic[DataT]):
    """One event: stable metadata around a versioned payload."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(description="Unique event id set by the producer; consumers drop repeats.")
    type: str = Field(description="Event type, e.g. `mediprima.invoice.submitted`.")
    version: int = Field(ge=1, description="Schema version of `data`.")
    occurred_at: AwareDatetime = Field(description="When the state change happened.")
    source: str = Field(description="The service that produced the event.")
    subject: str = Field(description="Aggregate id; also the Kafka message key.")
    correlation_id: str = Field(description="Id of the request or event chain that caused it.")
    data: DataT = Field(description="The versioned payload.")

    @classmethod
    def wrap(
        cls,
        data: EventData,
        *,
        subject: str,
        source: str,
        correlation_id: str,
        occurred_at: datetime | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Self:
        return cls(
            id=event_id or uuid.uuid4(),
            type=data.event_type,
            version=data.event_version,
            occurred_at=occurred_at or datetime.now(UTC),
            source=source,
            subject=subject,
            correlation_id=correlation_id,
            data=data,
        )

    @property
    def topic(self) -> str:
        topic: str = getattr(self.data, "topic")  # noqa: B009 - ClassVar on a generic payload
        return topic


RawEnvelope = Envelope[Any]
