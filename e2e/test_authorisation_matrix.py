"""Who may call what, for every operation of the five OpenAPI documents.

The operations come from the services' own OpenAPI documents, so a new route is in the matrix the
day it is added; the roles each operation allows come from its `require(...)` dependency. Every
operation answers 401 without a token or with a bad one, and 403 to every role it does not allow,
before it reads or changes anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from e2e.platform import Backend, running_platform
from servicekit.auth import Role
from servicekit.registry import load_service, service_names
from servicekit.testing import TokenFactory

PUBLIC = {
    "/health",
    "/ready",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
}
IDENTITIES = {
    Role.GP: "10700187005",
    Role.OCMW: "0212345678",
    Role.OPERATOR: "operator-1",
    Role.REGISTER: "register-1",
}


def _allowed_roles(dependant: Dependant) -> frozenset[Role] | None:
    for dependency in dependant.dependencies:
        roles = getattr(dependency.call, "allowed_roles", None)
        if roles is not None:
            return frozenset(roles)
        found = _allowed_roles(dependency)
        if found is not None:
            return found
    return None


def declared_roles() -> dict[tuple[str, str, str], frozenset[Role] | None]:
    """(service, method, path) → the roles its `require` allows, None when it declares none."""
    matrix: dict[tuple[str, str, str], frozenset[Role] | None] = {}
    for name in service_names():
        for router in load_service(name).api_routers():
            for route in router.routes:
                assert isinstance(route, APIRoute), f"{name}: a nested router the matrix misses"
                for method in route.methods:
                    matrix[(name, method, route.path)] = _allowed_roles(route.dependant)
    return matrix


def documented_operations(documents: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, str]]:
    for name, document in documents.items():
        for path, operations in document["paths"].items():
            for method in operations:
                if method in ("get", "post", "put", "patch", "delete"):
                    yield name, method.upper(), path


def concrete(path: str) -> str:
    """A path with each parameter filled with a plausible value; never a real object."""
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sql", id="sqlite+sql-log"),
        # PostgreSQL: every request transaction names its caller to the database (rowsecurity).
        pytest.param("kafka", id="kafka+postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
    ],
)
async def test_every_operation_refuses_a_missing_or_bad_token_and_every_role_it_does_not_allow(
    backend: Backend, tmp_path: Path
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    roles = declared_roles()
    stranger = TokenFactory.create(tmp_path / "stranger-keys")
    refusals: list[str] = []
    checked = 0

    # Hundreds of calls from one address, a third with bad tokens: the rate limits (tested on
    # their own) would answer 429 before the checks this test is about.
    unlimited = {name: {"rate_limits": False} for name in service_names()}
    async with running_platform(backend, tmp_path, tokens, unlimited) as clients:
        documents = {
            name: (await client.get("/openapi.json")).json() for name, client in clients.items()
        }
        operations = sorted(set(documented_operations(documents)))
        assert len(operations) > 40  # the five services' operations, not an empty document
        for name, method, path in operations:
            if path in PUBLIC:
                continue
            allowed = roles.get((name, method, path))
            assert allowed, f"{method} {path} of {name} declares no role: it would be open"
            client: httpx.AsyncClient = clients[name]
            url = concrete(path)
            attempts = {
                "no token": {},
                "bad token": {"Authorization": "Bearer not-a-token"},
                "foreign key": stranger.headers(Role.OPERATOR, "operator-1"),
            }
            for label, headers in attempts.items():
                answer = await client.request(method, url, headers=headers)
                checked += 1
                if answer.status_code != 401:
                    refusals.append(f"{name} {method} {path} {label}: {answer.status_code}")
            for role in set(Role) - allowed:
                answer = await client.request(
                    method, url, headers=tokens.headers(role, IDENTITIES[role])
                )
                checked += 1
                if answer.status_code != 403:
                    refusals.append(f"{name} {method} {path} as {role}: {answer.status_code}")

    assert refusals == []
    assert checked > 100
