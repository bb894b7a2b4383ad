"""Replays a dead letter through its group's handler, exactly once whatever is repeated.

The handler's effect, the group's inbox entry and the letter's `replayed_at` are written in one
transaction: a replayed letter is never applied again, and an event the group applied meanwhile
(its inbox entry is there) is marked replayed without a second effect. The letter's row is read
`FOR UPDATE` on PostgreSQL (SQLite's write lock serialises it there), so two operators replaying
one letter at once apply it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import structlog

from mediprima_contracts.registry import parse_envelope
from servicekit import correlation
from servicekit.db import Database
from servicekit.deadletters import store
from servicekit.errors import NotFound
from servicekit.messaging import inbox
from servicekit.messaging.consumer import Handler
from servicekit.privacy import describe_error

log = structlog.get_logger()
HandlersByGroup = Mapping[str, Mapping[str, Handler]]


class ReplayOutcome(StrEnum):
    REPLAYED = "replayed"
    """Applied now (or found applied by the group meanwhile, so not applied twice)."""
    ALREADY_REPLAYED = "already_replayed"
    """Replayed before: nothing done."""
    FAILED = "failed"
    """The handler refused it again; the letter keeps waiting, with the new error."""


@dataclass(frozen=True)
class ReplayResult:
    letter_id: int
    outcome: ReplayOutcome
    error: str | None = None


@dataclass
class ReplaySummary:
    replayed: int = 0
    already_replayed: int = 0
    failed: list[ReplayResult] = field(default_factory=list)

    def add(self, result: ReplayResult) -> None:
        if result.outcome is ReplayOutcome.REPLAYED:
            self.replayed += 1
        elif result.outcome is ReplayOutcome.ALREADY_REPLAYED:
            self.already_replayed += 1
        else:
            self.failed.append(result)


class LetterNotFound(NotFound):
    """No dead letter with that id in this service."""


async def replay(database: Database, handlers: HandlersByGroup, letter_id: int) -> ReplayResult:
    """Apply letter `letter_id` once through its group's handler; raises `LetterNotFound`."""
    try:
        async with database.transaction() as session:
            letter = await store.get(session, letter_id, for_update=True)
            if letter is None:
                raise LetterNotFound.for_rule(
                    None, "dead_letter.not_found", f"No dead letter {letter_id} in this service"
                )
            if letter.replayed_at is not None:
                return ReplayResult(letter_id, ReplayOutcome.ALREADY_REPLAYED)
            group_handlers = handlers.get(letter.consumer_group)
            if group_handlers is None:
                raise LookupError(f"this service has no consumer group {letter.consumer_group}")
            envelope = parse_envelope(letter.value)
            correlation.bind(envelope.correlation_id)
            handler = group_handlers.get(envelope.type)
            # Not one of the group's types (its handler was removed): the consumer would skip it.
            if handler is not None and await inbox.claim(
                session, consumer=letter.consumer_group, event_id=envelope.id
            ):
                await handler(session, envelope)
            await store.mark_replayed(session, letter_id)
    except LetterNotFound:
        raise
    except Exception as exc:
        error = describe_error(exc)
        async with database.transaction() as session:
            await store.note_failed_replay(session, letter_id, error)
        log.warning("dead_letter.replay_failed", letter_id=letter_id, error=error)
        return ReplayResult(letter_id, ReplayOutcome.FAILED, error)
    log.info("dead_letter.replayed", letter_id=letter_id, group=letter.consumer_group)
    return ReplayResult(letter_id, ReplayOutcome.REPLAYED)


async def replay_all(
    database: Database,
    handlers: HandlersByGroup,
    *,
    group: str | None = None,
    on_each: Callable[[ReplayResult, int], None] | None = None,
) -> ReplaySummary:
    """Replay every waiting letter (of `group`, or all), oldest first, one transaction each.

    `on_each(result, total)` follows the progress. A failure does not stop the others.
    """
    async with database.reading() as session:
        ids = await store.waiting_ids(session, group=group)
    summary = ReplaySummary()
    for letter_id in ids:
        try:
            result = await replay(database, handlers, letter_id)
        except LetterNotFound:  # pruned meanwhile
            continue
        summary.add(result)
        if on_each is not None:
            on_each(result, len(ids))
    return summary
