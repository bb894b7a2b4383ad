"""Waiting longer after each failure in a row, so a loop outlives an outage without hammering the
dependency or filling the log, and is back soon after the dependency is."""

from __future__ import annotations

import asyncio
import random
from contextlib import suppress
from dataclasses import dataclass


@dataclass
class Backoff:
    first_seconds: float = 0.5
    max_seconds: float = 30.0
    failures: int = 0
    """Failures in a row since the last success."""

    def next_delay(self) -> float:
        """Counts a failure; the wait before the next try, doubled each time up to the maximum,
        with a random tenth off so processes that failed together do not retry together."""
        self.failures += 1
        delay = min(self.first_seconds * 2.0 ** (self.failures - 1), self.max_seconds)
        return delay * (1 - random.random() / 10)

    def succeeded(self) -> bool:
        """Counts a success; True when it ends a run of failures (the dependency is back)."""
        ended = self.failures > 0
        self.failures = 0
        return ended

    async def wait(self, stop: asyncio.Event) -> None:
        """Counts a failure and waits the next delay, or until `stop` is set."""
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=self.next_delay())
