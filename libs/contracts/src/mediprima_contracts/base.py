"""The base every contract model shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ContractModel(BaseModel):
    """Immutable, tolerant of unknown fields, and silent about input values in errors.

    Unknown fields are ignored rather than refused so that a producer may add an optional field
    without turning its events into poison for consumers still on the previous release (the
    tolerant-reader rule); a service that wants strict request bodies overrides `extra`.
    Inputs are hidden from validation errors because they may hold SSINs, and errors end up
    in logs and dead-letter headers.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)
