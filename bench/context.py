"""What every part of one `make bench` run shares: sizes, directories, tokens, the servers
with-infra.sh provides, the seeded decisions and the figures measured so far."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bench.reporting.figures import Figure
from bench.seed.decisions import SeededDecision
from bench.sizes import Sizes
from bench.stack.platform import Platform
from bench.stack.quiet import Backlog
from bench.tokens import Tokens
from servicekit.testing import KAFKA_ENV, POSTGRES_ENV


@dataclass
class Run:
    sizes: Sizes
    workdir: Path
    tokens: Tokens
    wrk: str
    profiles: Path | None  # where flame graphs go when --profile is given
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    decisions: list[SeededDecision] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    baselines: dict[str, object] = field(default_factory=dict)

    @property
    def logs(self) -> Path:
        return self.workdir / "logs"

    @property
    def postgres_admin_url(self) -> str:
        return _required(POSTGRES_ENV)

    @property
    def kafka_bootstrap_servers(self) -> str:
        return _required(KAFKA_ENV)

    def record(self, *figures: Figure) -> None:
        for figure in figures:
            self.figures.append(figure)
            print(figure.line(), flush=True)


@dataclass(frozen=True)
class Running:
    """A setup's platform, started and ready, during its measurements."""

    run: Run
    platform: Platform
    backlog: Backlog

    @property
    def setup_name(self) -> str:
        return self.platform.setup.name

    async def settle(self) -> None:
        """Wait until the previous measurement's events are all applied, then check that every
        service still runs."""
        await self.backlog.wait_until_empty()
        self.platform.check_alive()


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set: run the platform benchmarks with `make bench`, which starts "
            "Kafka and PostgreSQL (deploy/local/with-infra.sh), or export it."
        )
    return value
