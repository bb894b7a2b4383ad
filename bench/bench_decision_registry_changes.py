"""Decision writes (create, replace with If-Match, stop) through the registry's API, per backend.

Each write runs every D-rule, writes a whole version and its outbox event in one transaction.
Baseline, measured in the same run on the same service: `GET /v1/decisions/{n}` (one read of
the current version), so the ratio says what a versioned, rule-checked, published write costs
over a read. SQLite + SQL event log always; PostgreSQL + Kafka when both are configured.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from bench.report import Measurement
from mediprima_contracts.testing import decision_request_body, random_enterprise_number
from servicekit.auth import Role
from servicekit.registry import load_service
from servicekit.testing import (
    KAFKA_ENV,
    POSTGRES_ENV,
    TokenFactory,
    postgres_database,
    running_service,
)

DECISIONS = int(os.environ.get("BENCH_DECISIONS", "200"))


async def measure() -> list[Measurement]:
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory() as workdir:
        tmp = Path(workdir)
        tokens = TokenFactory.create(tmp / "keys")
        definition = load_service("decision-registry")
        shared: dict[str, Any] = {
            **tokens.settings_overrides(),
            "var_dir": tmp,
            "log_level": "WARNING",
            "rate_limits": False,  # one caller at full speed: the bench measures capacity
        }
        settings = definition.settings_class(
            database_url=f"sqlite+aiosqlite:///{tmp / 'registry.db'}",
            bus="sql",
            bus_url=f"sqlite+aiosqlite:///{tmp / 'bus.db'}",
            **shared,
        )
        async with running_service(definition, settings) as client:
            results += await _measure(client, tokens, "sqlite + SQL log")
        if os.environ.get(KAFKA_ENV) and os.environ.get(POSTGRES_ENV):
            async with postgres_database("bench") as url:
                settings = definition.settings_class(
                    database_url=url,
                    bus="kafka",
                    kafka_bootstrap_servers=os.environ[KAFKA_ENV],
                    topic_prefix=f"bench{uuid.uuid4().hex[:8]}.",
                    **shared,
                )
                async with running_service(definition, settings) as client:
                    results += await _measure(client, tokens, "postgres + Kafka")
    return results


async def _measure(
    client: httpx.AsyncClient, tokens: TokenFactory, backend: str
) -> list[Measurement]:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    bodies = [_body(ocmw) for _ in range(DECISIONS)]
    numbers: list[str] = []

    async def create(index: int) -> None:
        answer = await client.post("/v1/decisions", json=bodies[index], headers=headers)
        numbers.append(answer.json()["decision_number"])

    async def replace(index: int) -> None:
        await _ok(
            client.put(
                f"/v1/decisions/{numbers[index]}",
                json=bodies[index] | {"comment": "Housing: OCMW flat"},
                headers=headers | {"If-Match": '"1"'},
            )
        )

    async def stop(index: int) -> None:
        await _ok(
            client.post(
                f"/v1/decisions/{numbers[index]}/stop",
                json={"stop_date": bodies[index]["period"]["end"], "reason": "Moved"},
                headers=headers,
            )
        )

    async def read(index: int) -> None:
        await _ok(client.get(f"/v1/decisions/{numbers[index]}", headers=headers))

    created = await _rate(create)
    replaced = await _rate(replace)
    stopped = await _rate(stop)
    baseline = await _rate(read)
    return [
        Measurement(f"{backend}: create (v1)", created, "GET current", baseline),
        Measurement(f"{backend}: replace (If-Match)", replaced, "GET current", baseline),
        Measurement(f"{backend}: stop", stopped, "GET current", baseline),
    ]


async def _rate(step: Callable[[int], Awaitable[None]]) -> float:
    started = time.perf_counter()
    for index in range(DECISIONS):
        await step(index)
    return DECISIONS / (time.perf_counter() - started)


async def _ok(call: Awaitable[httpx.Response]) -> None:
    answer = await call
    if answer.status_code != 200:
        raise AssertionError(f"{answer.request.url.path}: {answer.status_code} {answer.text}")


def _body(ocmw: str) -> dict[str, Any]:
    today = date.today()  # noqa: DTZ011 - the registry judges against its own today
    return decision_request_body(
        today=today,
        ocmw=ocmw,
        person={"last_name": "Peeters", "first_name": "An", "birth_date": None, "sex": "unknown"},
    )
