"""Talking to a platform of real processes on 127.0.0.1 (the one `make run` starts)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx

from e2e.walkthrough import Actors
from servicekit.auth import Role
from servicekit.localkeys import ensure_local_keys, mint_token
from servicekit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
PORTS = {
    "decision-registry": 8001,
    "consultation": 8002,
    "tariffing": 8003,
    "invoicing": 8004,
    "settlement": 8005,
    "console": 8006,
}


def free_port_offset(rng: random.Random | None = None) -> int:
    """An offset that puts the five services and the console on ports nothing else listens on,
    from 20000 up to the kernel's ephemeral range: a port in that range free now may be taken
    a moment later by any outgoing connection (to Kafka, PostgreSQL, Keycloak), before the
    platform binds it."""
    rng = rng or random.Random()
    highest = _ephemeral_ports_start() - 1 - max(PORTS.values())
    for _ in range(100):
        offset = rng.randrange(20_000 - min(PORTS.values()), highest, 10)
        if all(_bindable(port + offset) for port in PORTS.values()):
            return offset
    raise RuntimeError("no free block of six ports found")


def _ephemeral_ports_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@asynccontextmanager
async def local_clients(port_offset: int = 0) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    async with AsyncExitStack() as stack:
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port + port_offset}", timeout=10)
            )
            for name, port in PORTS.items()
        }
        yield clients


async def wait_until_ready(clients: dict[str, httpx.AsyncClient], patience: float) -> float:
    """Seconds until every service answers /ready with 200."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    pending = set(clients)
    while pending:
        for name in list(pending):
            try:
                if (await clients[name].get("/ready")).status_code == 200:
                    pending.discard(name)
            except httpx.TransportError:
                pass
        if loop.time() - started > patience:
            raise TimeoutError(f"not ready after {patience:.0f}s: {sorted(pending)}")
        await asyncio.sleep(0.25)
    return loop.time() - started


def local_actors(var_dir: Path) -> Actors:
    """Tokens signed with the local key `make run` created, for fresh identities."""
    settings = ServiceSettings(var_dir=var_dir)
    assert settings.auth_jwks_path is not None
    keys_dir = settings.auth_jwks_path.parent

    def headers(role: Role, subject: str) -> dict[str, str]:
        token = mint_token(
            keys_dir,
            role=role,
            subject=subject,
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
        )
        return {"Authorization": f"Bearer {token}"}

    return Actors.fresh(headers, operator="operator-demo")


@asynccontextmanager
async def procfile_platform(
    var_dir: Path, port_offset: int, settings: Mapping[str, str] | None = None
) -> AsyncIterator[None]:
    """`make run` as a user gets it: every process of the Procfile, under honcho, shifted by
    `port_offset`, with its data and local keys in `var_dir` and `settings` (MEDIPRIMA_*
    variables) on top of the environment; stopped on leaving."""
    env = {
        **os.environ,
        "MEDIPRIMA_VAR_DIR": str(var_dir),
        "MEDIPRIMA_PORT_OFFSET": str(port_offset),
        **(settings or {}),
    }
    ensure_local_keys(var_dir / "keys")
    honcho = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "honcho", "start", "-f", "deploy/local/Procfile"),
        cwd=ROOT,
        env=env,
        stdout=(var_dir / "platform.log").open("w"),
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        await asyncio.wait_for(honcho.wait(), timeout=30)
