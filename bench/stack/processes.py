"""A server process the bench started: its own session (a Ctrl-C reaches it only through us),
its output in a log file, stopped by its pid with TERM and, if it hangs, KILL."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STOP_PATIENCE_SECONDS = 30.0
READY_PATIENCE_SECONDS = 90.0


class ProcessFailedError(RuntimeError):
    """A server exited or never became ready; the message carries the end of its log."""


@dataclass
class ServerProcess:
    name: str
    process: asyncio.subprocess.Process
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def check_alive(self) -> None:
        if self.process.returncode is not None:
            raise ProcessFailedError(
                f"{self.name} exited with {self.process.returncode}; its log ends with:\n"
                f"{self.log_tail()}"
            )

    async def stop(self) -> int:
        """TERM (uvicorn shuts down gracefully: workers finish their step), then KILL."""
        if self.process.returncode is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), STOP_PATIENCE_SECONDS)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()


async def spawn(
    name: str, command: Sequence[str], *, env: Mapping[str, str], log_path: Path
) -> ServerProcess:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            *command,
            env=dict(env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
    return ServerProcess(name, process, log_path)


@asynccontextmanager
async def started_together(
    commands: Mapping[str, tuple[Sequence[str], Mapping[str, str], Path]],
) -> AsyncIterator[dict[str, ServerProcess]]:
    """Processes by name (command, environment, log file), all stopped together when the block
    ends, whatever happens in it."""
    servers: dict[str, ServerProcess] = {}
    try:
        for name, (command, env, log_path) in commands.items():
            servers[name] = await spawn(name, command, env=env, log_path=log_path)
        yield servers
    finally:
        await asyncio.gather(*(server.stop() for server in servers.values()))


@asynccontextmanager
async def started(
    name: str, command: Sequence[str], *, env: Mapping[str, str], log_path: Path
) -> AsyncIterator[ServerProcess]:
    """The process, stopped when the block ends, whatever happens in it."""
    async with started_together({name: (command, env, log_path)}) as servers:
        yield servers[name]


async def wait_until_ready(
    servers: Mapping[str, tuple[ServerProcess, str]], *, path: str = "/ready"
) -> float:
    """Seconds until every server answers `path` with 200; `servers`: name → (process, url)."""
    loop = asyncio.get_running_loop()
    started_at = loop.time()
    pending = dict(servers)
    async with httpx.AsyncClient(timeout=5.0) as client:
        while pending:
            for name, (server, url) in list(pending.items()):
                server.check_alive()
                try:
                    if (await client.get(url + path)).status_code == 200:
                        del pending[name]
                except httpx.TransportError:
                    pass
            if pending and loop.time() - started_at > READY_PATIENCE_SECONDS:
                names = ", ".join(sorted(pending))
                tails = "\n".join(server.log_tail(10) for server, _url in pending.values())
                raise ProcessFailedError(
                    f"not ready after {READY_PATIENCE_SECONDS:.0f}s: {names}\n{tails}"
                )
            if pending:
                await asyncio.sleep(0.1)
    return loop.time() - started_at


def clean_environment() -> dict[str, str]:
    """This process's environment without MEDIPRIMA_* settings (the Makefile exports
    MEDIPRIMA_VAR_DIR): each server gets exactly the settings its setup gives it."""
    return {key: value for key, value in os.environ.items() if not key.startswith("MEDIPRIMA_")}
