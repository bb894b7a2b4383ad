"""The five services, each its own `mediprima serve` process (as production and the bench run
them), that the chaos run kills with SIGKILL and starts again. A process that exits on its own
is started again too, like a supervisor would, and counted."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.paths import MEDIPRIMA
from bench.stack.ports import free_ports
from bench.stack.processes import ServerProcess, clean_environment, spawn
from bench.stack.setups import Setup
from bench.tokens import Tokens
from servicekit.registry import service_names

READY_PATIENCE_SECONDS = 180.0
# Payment runs also start by themselves in invoicing, racing the operator's runs and the kills.
PAYMENT_RUN_SCHEDULE = "* * * * * */15"


@dataclass
class Service:
    name: str
    url: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: ServerProcess | None = None
    starts: int = 0
    unexpected_exits: list[int] = field(default_factory=list)

    async def start(self) -> None:
        self.process = await spawn(self.name, self.command, env=self.env, log_path=self.log_path)
        self.starts += 1

    def kill(self) -> int:
        """SIGKILL: no shutdown code runs, what was in flight is lost mid-way."""
        assert self.process is not None
        pid = self.process.pid
        self.process.process.send_signal(signal.SIGKILL)
        return pid

    async def wait_exited(self) -> None:
        assert self.process is not None
        await self.process.process.wait()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.process.returncode is None

    async def wait_ready(self, patience: float = READY_PATIENCE_SECONDS) -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with httpx.AsyncClient(timeout=5.0) as client:
            while True:
                if not self.alive:
                    await self.restart_after_exit()
                try:
                    if (await client.get(self.url + "/ready")).status_code == 200:
                        return loop.time() - started
                except httpx.TransportError:
                    pass
                if loop.time() - started > patience:
                    assert self.process is not None
                    raise TimeoutError(
                        f"{self.name} not ready after {patience:.0f}s:\n{self.process.log_tail()}"
                    )
                await asyncio.sleep(0.2)

    async def restart_after_exit(self) -> None:
        assert self.process is not None
        code = self.process.process.returncode
        assert code is not None
        self.unexpected_exits.append(code)
        await self.start()

    async def stop(self) -> None:
        if self.process is not None:
            await self.process.stop()


@dataclass
class Platform:
    setup: Setup
    services: dict[str, Service]

    @property
    def urls(self) -> dict[str, str]:
        return {name: service.url for name, service in self.services.items()}

    async def wait_ready(self) -> None:
        await asyncio.gather(*(service.wait_ready() for service in self.services.values()))


def _own_settings(name: str) -> dict[str, str]:
    if name == "invoicing":
        return {"MEDIPRIMA_PAYMENT_RUN_SCHEDULE": PAYMENT_RUN_SCHEDULE}
    return {}


@asynccontextmanager
async def running_platform(setup: Setup, tokens: Tokens, logs: Path) -> AsyncIterator[Platform]:
    """The five services started and ready; stopped (TERM, then KILL) when the block ends."""
    names = service_names()
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    services = {
        name: Service(
            name=name,
            url=f"http://127.0.0.1:{ports[name]}",
            command=[str(MEDIPRIMA), "serve", name, "--no-migrate"],
            env={
                **clean_environment(),
                **setup.service_env(name),
                **tokens.service_env(),
                "MEDIPRIMA_MODE": "production",
                "MEDIPRIMA_HOST": "127.0.0.1",
                "MEDIPRIMA_PORT": str(ports[name]),
                # The generator is a few callers on one address sending a day's work in minutes.
                "MEDIPRIMA_RATE_LIMITS": "false",
            }
            | _own_settings(name),
            log_path=logs / f"{name}.log",
        )
        for name in names
    }
    platform = Platform(setup=setup, services=services)
    try:
        for service in services.values():
            await service.start()
        await platform.wait_ready()
        yield platform
    finally:
        await asyncio.gather(*(service.stop() for service in services.values()))
