"""The five services as production runs them: each its own process, `mediprima serve <name>`
(uvicorn with the settings the CLI gives it), in production mode with every setting explicit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.paths import MEDIPRIMA
from bench.stack.ports import free_ports
from bench.stack.processes import (
    ServerProcess,
    clean_environment,
    started_together,
    wait_until_ready,
)
from bench.stack.setups import Setup
from bench.tokens import Tokens
from servicekit.registry import service_names


@dataclass(frozen=True)
class Platform:
    setup: Setup
    servers: dict[str, ServerProcess]
    urls: dict[str, str]

    def pid(self, name: str) -> int:
        return self.servers[name].pid

    def check_alive(self) -> None:
        for server in self.servers.values():
            server.check_alive()


@asynccontextmanager
async def running_platform(setup: Setup, tokens: Tokens, logs: Path) -> AsyncIterator[Platform]:
    """All five services started and ready; stopped (TERM, then KILL) when the block ends."""
    names = service_names()
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    commands = {
        name: (
            [str(MEDIPRIMA), "serve", name, "--no-migrate"],
            {
                **clean_environment(),
                **setup.service_env(name),
                **tokens.service_env(),
                "MEDIPRIMA_MODE": "production",
                "MEDIPRIMA_HOST": "127.0.0.1",
                "MEDIPRIMA_PORT": str(ports[name]),
                # The load comes from one address and a few identities: the bench measures what
                # the services can take, not what the limits let one caller send.
                "MEDIPRIMA_RATE_LIMITS": "false",
            },
            logs / f"{setup.name.replace('+', '-')}-{name}.log",
        )
        for name in names
    }
    async with started_together(commands) as servers:
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        await wait_until_ready({name: (servers[name], urls[name]) for name in names})
        yield Platform(setup=setup, servers=servers, urls=urls)
