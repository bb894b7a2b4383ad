"""What any caller sees at the HTTP edge: bearer tokens, roles, problem+json, correlation ids."""

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from pydantic import BaseModel, Field

from servicekit.auth import CLOCK_SKEW_SECONDS, Principal, Role, TokenVerifier, require
from servicekit.errors import Conflict, install_problem_handlers
from servicekit.http import CorrelationMiddleware
from servicekit.localkeys import mint_token
from servicekit.testing import TokenFactory


class Order(BaseModel):
    quantity: int = Field(ge=1)


def build_app(tokens: TokenFactory) -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)
    install_problem_handlers(app)
    app.state.verifier = TokenVerifier.from_file(
        tokens.jwks_path, issuer=tokens.issuer, audience=tokens.audience
    )

    @app.post("/orders")
    async def order(body: Order, caller: Annotated[Principal, require(Role.GP)]) -> dict[str, str]:
        if body.quantity == 99:
            raise Conflict.for_rule("I-01", "order.duplicate", "Already ordered", field="quantity")
        return {"caller": caller.subject}

    return app


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFactory:
    return TokenFactory.create(tmp_path / "keys")


@pytest.fixture
async def client(tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(tokens))
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http


async def test_a_valid_token_with_the_right_role_passes(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/orders", json={"quantity": 1}, headers=tokens.headers(Role.GP, "19876543003")
    )
    assert response.status_code == 200
    assert response.json() == {"caller": "19876543003"}


async def test_a_missing_token_is_401_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/orders", json={"quantity": 1})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["code"] == "auth.missing_token"


@pytest.mark.parametrize("flaw", ["expired", "wrong-audience", "wrong-issuer", "foreign-key"])
async def test_a_flawed_token_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, flaw: str
) -> None:
    keys_dir, audience, issuer, ttl = tokens.keys_dir, tokens.audience, tokens.issuer, 3600
    if flaw == "expired":
        ttl = -(CLOCK_SKEW_SECONDS + 30)
    elif flaw == "wrong-audience":
        audience = "someone-else"
    elif flaw == "wrong-issuer":
        issuer = "https://evil.example"
    else:
        keys_dir = TokenFactory.create(tmp_path / "other-keys").keys_dir
    token = mint_token(
        keys_dir, role=Role.GP, subject="1", issuer=issuer, audience=audience, ttl_seconds=ttl
    )
    response = await client.post(
        "/orders", json={"quantity": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "auth.invalid_token"


def _token_for(kid: str, algorithm: str, key: Any) -> str:
    now = int(time.time())
    claims = {"iss": "i", "aud": "a", "sub": "1", "role": "gp", "iat": now, "exp": now + 60}
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


@pytest.mark.parametrize("algorithm", ["ES256", "HS256", "none"])
async def test_a_token_claiming_another_algorithm_than_its_key_is_401_never_500(
    client: httpx.AsyncClient, tokens: TokenFactory, algorithm: str
) -> None:
    kid = json.loads(tokens.jwks_path.read_text())["keys"][0]["kid"]
    key: Any = {
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "HS256": b"a-shared-secret-nobody-should-accept",
        "none": None,
    }[algorithm]

    response = await client.post(
        "/orders",
        json={"quantity": 1},
        headers={"Authorization": f"Bearer {_token_for(kid, algorithm, key)}"},
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "auth.invalid_token"


async def test_a_token_expired_within_the_clock_skew_is_still_accepted(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    token = mint_token(
        tokens.keys_dir,
        role=Role.GP,
        subject="1",
        issuer=tokens.issuer,
        audience=tokens.audience,
        ttl_seconds=-(CLOCK_SKEW_SECONDS // 2),
    )
    response = await client.post(
        "/orders", json={"quantity": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


async def test_the_wrong_role_is_403(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    response = await client.post(
        "/orders", json={"quantity": 1}, headers=tokens.headers(Role.OCMW, "0212345678")
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "auth.role_not_allowed"


async def test_invalid_input_is_422_naming_the_field(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/orders", json={"quantity": 0}, headers=tokens.headers(Role.GP, "1")
    )
    body = response.json()
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "quantity"
    assert body["status"] == 422


async def test_a_domain_error_carries_its_rule(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/orders", json={"quantity": 99}, headers=tokens.headers(Role.GP, "1")
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "rule": "I-01",
            "code": "order.duplicate",
            "message": "Already ordered",
            "field": "quantity",
        }
    ]


async def test_the_correlation_id_is_kept_or_made(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    kept = await client.post(
        "/orders",
        json={"quantity": 1},
        headers=tokens.headers(Role.GP, "1", **{"X-Correlation-ID": "gp-batch-42"}),
    )
    made = await client.post("/orders", json={"quantity": 1}, headers=tokens.headers(Role.GP, "1"))
    assert kept.headers["x-correlation-id"] == "gp-batch-42"
    assert len(made.headers["x-correlation-id"]) == 36
