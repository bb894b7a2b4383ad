"""A real `mediprima serve` process under more requests than it takes, and stopped with SIGTERM
while a request is in flight. The service database's write lock, held by the test as another
process would, keeps requests in flight for as long as the test needs them to be."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from e2e.local_platform import free_port_offset
from e2e.outages import consult, write_lock
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.bus.factory import build_bus
from servicekit.localkeys import ensure_local_keys, mint_token
from servicekit.settings import ServiceSettings
from servicekit.testing import deliver, eventually

MEDIPRIMA = Path(sys.executable).parent / "mediprima"
EXIT_BOUND_SECONDS = 60  # a bound on a hang, far above shutdown_grace_seconds + worker_stop_seconds
BURST = 12

pytestmark = pytest.mark.e2e


@dataclass
class Served:
    process: asyncio.subprocess.Process
    client: httpx.AsyncClient
    gp: dict[str, str]
    var_dir: Path
    log: Path


def gp_headers(var_dir: Path) -> dict[str, str]:
    settings = ServiceSettings(var_dir=var_dir)
    token = mint_token(
        var_dir / "keys",
        role=Role.GP,
        subject=random_gp_riziv(),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
    )
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def serving(var_dir: Path, **settings: str) -> AsyncIterator[Served]:
    """`mediprima serve consultation` on SQLite + the SQL event log in `var_dir`, ready."""
    ensure_local_keys(var_dir / "keys")
    port = 8002 + free_port_offset()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("MEDIPRIMA_")},
        "MEDIPRIMA_VAR_DIR": str(var_dir),
        "MEDIPRIMA_PORT": str(port),
        "MEDIPRIMA_RATE_LIMITS": "false",
        **{f"MEDIPRIMA_{name.upper()}": value for name, value in settings.items()},
    }
    log = var_dir / "consultation.log"
    process = await asyncio.create_subprocess_exec(
        MEDIPRIMA,
        *("serve", "consultation"),
        env=env,
        stdout=log.open("w"),
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

            async def ready() -> int:
                try:
                    return (await client.get("/ready")).status_code
                except httpx.TransportError:
                    return 0

            assert await eventually(ready, lambda status: status == 200, attempts=600) == 200
            yield Served(process, client, gp_headers(var_dir), var_dir, log)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def until_answered(tasks: list[asyncio.Task[httpx.Response]], count: int) -> None:
    """Until `count` of the requests have their answer (the others are still in flight)."""
    async with asyncio.timeout(EXIT_BOUND_SECONDS):
        while sum(task.done() for task in tasks) < count:
            await asyncio.wait(
                [task for task in tasks if not task.done()], return_when=asyncio.FIRST_COMPLETED
            )


async def test_a_burst_beyond_the_limit_is_shed_with_503_and_retry_after_then_served(
    tmp_path: Path,
) -> None:
    limits = {"max_concurrent_requests": "2", "max_queued_requests": "0"}
    async with serving(tmp_path, **limits) as served:
        async with write_lock(tmp_path / "consultation.db"):
            burst = [
                asyncio.create_task(consult(served.client, served.gp, random_ssin()))
                for _ in range(BURST)
            ]
            # Two take the places and wait for the lock; the rest are answered at once.
            await until_answered(burst, BURST - 2)
            alive = await served.client.get("/health")
        answers = [await task for task in burst]
        after = [await consult(served.client, served.gp, random_ssin()) for _ in range(5)]

    shed = [answer for answer in answers if answer.status_code == 503]
    assert len(shed) == BURST - 2
    assert {answer.headers["retry-after"] for answer in shed} == {"1"}
    assert {answer.headers["content-type"] for answer in shed} == {"application/problem+json"}
    assert {answer.json()["errors"][0]["code"] for answer in shed} == {"service.overloaded"}
    assert sorted(answer.status_code for answer in answers if answer not in shed) == [201, 201]
    assert alive.status_code == 200  # an overloaded process is alive, and says so
    assert [answer.status_code for answer in after] == [201] * 5


async def test_sigterm_finishes_the_request_in_flight_commits_offsets_and_exits(
    tmp_path: Path,
) -> None:
    decisions = [example_decision_version_published() for _ in range(3)]
    async with serving(
        tmp_path,
        max_concurrent_requests="1",
        max_queued_requests="1",
        request_queue_seconds="2",
    ) as served:
        await deliver(tmp_path, *decisions)
        for decision in decisions:  # every event handled
            answer = await eventually(
                lambda d=decision: consult(served.client, served.gp, d.ssin),
                lambda answer: answer.json()["covered"],
            )
            assert answer.json()["covered"]

        async with write_lock(tmp_path / "consultation.db"):
            in_flight = asyncio.create_task(consult(served.client, served.gp, random_ssin()))
            # In flight once it holds the only place: a quick read then waits in the queue and
            # is shed (one that came first took the place for a moment, the request waiting in
            # the queue meanwhile, and answered 404).
            shed = await eventually(
                lambda: served.client.get("/v1/consultations/unknown", headers=served.gp),
                lambda answer: answer.status_code == 503,
            )
            served.process.send_signal(signal.SIGTERM)
            refused = await eventually(lambda: connection_refused(served), lambda no: no)
        answered = await in_flight
        async with asyncio.timeout(EXIT_BOUND_SECONDS):
            exit_code = await served.process.wait()

    assert shed.status_code == 503
    assert refused  # no new request is taken once the signal came
    assert answered.status_code == 201, answered.text  # the one in flight was finished
    assert exit_code in (0, -signal.SIGTERM)  # uvicorn ends by re-raising the signal it handled
    assert '"event": "service.stopped"' in served.log.read_text()
    assert await redelivered(tmp_path, group="consultation.decisions") == 0


async def connection_refused(served: Served) -> bool:
    async with httpx.AsyncClient(base_url=served.client.base_url, timeout=5) as fresh:
        try:
            await fresh.get("/health")
        except httpx.ConnectError:
            return True
    return False


async def redelivered(var_dir: Path, *, group: str) -> int:
    """Events the consumer group would receive again: none when it committed what it handled."""
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{var_dir / 'bus.db'}")
    await bus.start()
    subscription = bus.subscribe(group=group, topics=["mediprima.decisions"])
    await subscription.start()
    try:
        return sum([len(await subscription.fetch(timeout=1.0)) for _ in range(3)])
    finally:
        await subscription.close()
        await bus.close()
