"""Delay from a decision change to the changed consultation answer (target: p99 under 2 s).

decision-registry and consultation run in-process, as e2e/platform.py starts them: on Kafka +
PostgreSQL when KAFKA_BOOTSTRAP_SERVERS and MEDIPRIMA_TEST_POSTGRES_URL are set, and always on
SQLite + the SQL event log. An OCMW suspends and reactivates one decision CHANGES times; after
each change is committed (the registry answered), a GP asks the consultation service again and
again until the answer shows the change. Baseline, measured in the same run on the same
services: the round trip of a plain consultation request.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing import (
    decision_request_body,
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.registry import load_service
from servicekit.testing import (
    KAFKA_ENV,
    POSTGRES_ENV,
    TokenFactory,
    postgres_database,
    running_service,
)

CHANGES = int(os.environ.get("BENCH_CONSULTATION_CHANGES", "100"))
BASELINE_REQUESTS = 200
PATIENCE_SECONDS = 30.0
SERVICES = ("decision-registry", "consultation")


@dataclass(frozen=True)
class LatencyMeasurement:
    name: str
    delays_ms: list[float]
    baseline_name: str
    baseline_ms: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.delays_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.delays_ms, 99)

    @property
    def ratio(self) -> float:
        return self.p50 / percentile(self.baseline_ms, 50)

    def line(self) -> str:
        return (
            f"{self.name:<44} p50 {self.p50:7.1f} ms  p99 {self.p99:7.1f} ms  "
            f"max {max(self.delays_ms):7.1f} ms  (n={len(self.delays_ms)})   "
            f"p50 = {self.ratio:5.1f} x {self.baseline_name} "
            f"(p50 {percentile(self.baseline_ms, 50):.1f} ms, "
            f"p99 {percentile(self.baseline_ms, 99):.1f} ms)"
        )


def percentile(values: list[float], pct: int) -> float:
    """Nearest-rank percentile: p99 of 100 values is the 99th smallest."""
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))
    return ordered[rank - 1]


async def measure() -> list[LatencyMeasurement]:
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        async with two_services("sql", Path(workdir)) as clients:
            results.append(await _measure_on(clients, Path(workdir), "sqlite + SQL log"))
    if os.environ.get(KAFKA_ENV) and os.environ.get(POSTGRES_ENV):
        with tempfile.TemporaryDirectory() as workdir:
            async with two_services("kafka", Path(workdir)) as clients:
                results.append(await _measure_on(clients, Path(workdir), "postgres + Kafka"))
    return results


@asynccontextmanager
async def two_services(backend: str, workdir: Path) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    tokens = TokenFactory.create(workdir / "keys")
    async with AsyncExitStack() as stack:
        shared: dict[str, Any] = {
            **tokens.settings_overrides(),
            "var_dir": workdir,
            "log_level": "WARNING",
            "rate_limits": False,  # one caller at full speed: the bench measures capacity
        }
        if backend == "sql":
            shared |= {"bus": "sql", "bus_url": f"sqlite+aiosqlite:///{workdir / 'bus.db'}"}
        else:
            shared |= {
                "bus": "kafka",
                "kafka_bootstrap_servers": os.environ[KAFKA_ENV],
                "topic_prefix": f"bench{uuid.uuid4().hex[:8]}.",
            }
        clients = {}
        for name in SERVICES:
            definition = load_service(name)
            if backend == "sql":
                database_url = f"sqlite+aiosqlite:///{workdir / (name + '.db')}"
            else:
                database_url = await stack.enter_async_context(postgres_database(name[:8]))
            settings = definition.settings_class(database_url=database_url, **shared)
            clients[name] = await stack.enter_async_context(running_service(definition, settings))
        yield clients


async def _measure_on(
    clients: dict[str, httpx.AsyncClient], workdir: Path, backend: str
) -> LatencyMeasurement:
    tokens = TokenFactory.create(workdir / "keys")
    ocmw_number, ssin = random_enterprise_number(), random_ssin()
    ocmw = tokens.headers(Role.OCMW, ocmw_number)
    gp = tokens.headers(Role.GP, random_gp_riziv())
    today = datetime.now(UTC).date()
    registry, consultation = clients["decision-registry"], clients["consultation"]
    created = await registry.post(
        "/v1/decisions",
        json=decision_request_body(
            today=today,
            ssin=ssin,
            ocmw=ocmw_number,
            days_after=60,
            committee_date=(today - timedelta(days=2)).isoformat(),
            decision_date=(today - timedelta(days=1)).isoformat(),
        ),
        headers=ocmw,
    )
    assert created.status_code == 201, created.text
    decision = created.json()["decision_number"]
    question = {"ssin": ssin, "date": today.isoformat(), "care_type": "general_medicine"}

    async def covered() -> bool:
        response = await consultation.post("/v1/consultations", json=question, headers=gp)
        assert response.status_code == 201, response.text
        return bool(response.json()["covered"])

    await _until(covered, expected=True)
    baseline = []
    for _ in range(BASELINE_REQUESTS):
        started = time.perf_counter()
        await covered()
        baseline.append((time.perf_counter() - started) * 1000)
    delays = []
    for change in range(CHANGES):
        suspend = change % 2 == 0
        path = f"/v1/decisions/{decision}/" + ("suspend" if suspend else "reactivate")
        body = {"reason": "Residence status under review"} if suspend else None
        changed = await registry.post(path, json=body, headers=ocmw)
        assert changed.status_code == 200, changed.text
        started = time.perf_counter()
        await _until(covered, expected=not suspend)
        delays.append((time.perf_counter() - started) * 1000)
    return LatencyMeasurement(
        f"{backend}: decision change → consultation answer",
        delays,
        "a plain consultation round trip",
        baseline,
    )


async def _until(covered: Any, *, expected: bool) -> None:
    """Ask again at once until the answer is the expected one: each question is a real request."""
    deadline = time.perf_counter() + PATIENCE_SECONDS
    while await covered() is not expected:
        if time.perf_counter() > deadline:
            raise AssertionError(f"the consultation answer did not become {expected}")
