"""structlog configured for JSON lines; standard-library loggers (uvicorn, aiokafka) join in.

Every line, its exception text included, passes `servicekit.privacy` last: no national
register number is written in clear.
"""

from __future__ import annotations

import io
import logging
import sys
from typing import TextIO

import structlog

from servicekit.privacy import mask_personal_data
from servicekit.tracing import current_trace_ids


def configure_logging(*, service: str, level: str = "INFO", stream: TextIO | None = None) -> None:
    """JSON lines to `stream`, else to whatever `sys.stdout` is when a line is written; while
    tracing is on, each names the trace and span it was written in."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
        current_trace_ids,
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            mask_personal_data,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        # Without a file, structlog prints to the `sys.stdout` of the moment.
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or _CurrentStdout())
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                mask_personal_data,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


class _CurrentStdout(io.TextIOBase):
    """`sys.stdout` looked up at each write: a test's capture can replace it and close it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


class CurrentStderr(io.TextIOBase):
    """`sys.stderr` looked up at each write: for commands whose standard output is their answer."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _add_service(service: str) -> structlog.types.Processor:
    def processor(
        _logger: object, _name: str, event: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        event.setdefault("service", service)
        return event

    return processor
