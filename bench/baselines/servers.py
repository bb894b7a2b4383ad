"""The baseline apps as processes of their own, like the services: started, ready, stopped."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.paths import ROOT
from bench.stack.ports import free_ports
from bench.stack.processes import ServerProcess, clean_environment, started, wait_until_ready
from bench.tokens import AUDIENCE, ISSUER, Tokens


@dataclass(frozen=True)
class BaselineServer:
    url: str
    process: ServerProcess


@asynccontextmanager
async def hello_server(logs: Path) -> AsyncIterator[BaselineServer]:
    async with _server("hello", ["bench.baselines.hello"], logs) as server:
        yield server


@asynccontextmanager
async def lean_floor_server(
    logs: Path, *, database_url: str, tokens: Tokens
) -> AsyncIterator[BaselineServer]:
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    arguments = [
        "bench.baselines.lean_floor",
        f"--dsn={dsn}",
        f"--jwks={tokens.jwks_path}",
        f"--issuer={ISSUER}",
        f"--audience={AUDIENCE}",
    ]
    async with _server("lean-floor", arguments, logs) as server:
        yield server


@asynccontextmanager
async def _server(name: str, arguments: list[str], logs: Path) -> AsyncIterator[BaselineServer]:
    [port] = free_ports(1)
    command = [sys.executable, "-m", *arguments[:1], f"--port={port}", *arguments[1:]]
    env = {**clean_environment(), "PYTHONPATH": str(ROOT)}
    async with started(name, command, env=env, log_path=logs / f"{name}.log") as process:
        url = f"http://127.0.0.1:{port}"
        await wait_until_ready({name: (process, url)})
        yield BaselineServer(url, process)
