"""Correlation ids: one per request or event chain, carried in HTTP and bus headers and in logs."""

from __future__ import annotations

import re
import uuid

import structlog

HEADER = "X-Correlation-ID"
BUS_HEADER = "correlation_id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def accept_or_new(candidate: str | None) -> str:
    """Keep a caller's id when it is sane, so one chain can be followed across systems."""
    if candidate and _ACCEPTABLE.match(candidate):
        return candidate
    return new_correlation_id()


def bind(correlation_id: str) -> None:
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id)


def current() -> str:
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return value if isinstance(value, str) else new_correlation_id()
