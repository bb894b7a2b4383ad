"""Production mode trusts only the real issuer, follows its key rotation, and shows its
documents and metrics to operators only."""

import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from pydantic import ValidationError

from servicekit.auth import Role, TokenVerifier
from servicekit.errors import Unauthorized
from servicekit.keysets import RemoteKeySet
from servicekit.localkeys import public_key_set
from servicekit.registry import load_service
from servicekit.settings import ServiceSettings
from servicekit.testing import TokenFactory, embedded_settings, running_service


def production(**settings: Any) -> ServiceSettings:
    return ServiceSettings(mode="production", database_url="sqlite+aiosqlite:///x.db", **settings)


def test_production_refuses_the_local_issuer_audience_and_a_private_key_in_reach(
    tmp_path: Path,
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    public = public_key_set(tokens.keys_dir)
    real = {"auth_issuer": "https://sts.example", "auth_audience": "mediprima"}

    refusals = {
        "no key set": {**real},
        "local issuer": {"auth_jwks_path": public, "auth_audience": "mediprima"},
        "local audience": {"auth_jwks_path": public, "auth_issuer": "https://sts.example"},
        "private key beside": {**real, "auth_jwks_path": tokens.jwks_path},
    }
    for label, settings in refusals.items():
        with pytest.raises(ValidationError):  # noqa: PT012 - the label says which was accepted
            production(**settings)
            pytest.fail(f"accepted with {label}")

    assert production(**real, auth_jwks_path=public).auth_jwks_path == public
    assert production(**real, auth_jwks_url="https://sts.example/jwks").auth_jwks_url


def _rsa_jwk(kid: str) -> tuple[rsa.RSAPrivateKey, dict[str, Any]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return key, jwk | {"kid": kid, "alg": "RS256", "use": "sig"}


def _token(key: rsa.RSAPrivateKey, kid: str) -> str:
    claims = {"iss": "https://sts.example", "aud": "mediprima", "sub": "10700187005"}
    claims |= {"role": "gp", "iat": int(time.time()), "exp": int(time.time()) + 600}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


async def test_made_up_key_ids_cost_the_issuer_one_fetch_per_interval_not_one_each() -> None:
    key, jwk = _rsa_jwk("2026-11")
    issuer = FastAPI()

    @issuer.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return {"keys": [jwk]}

    keys = RemoteKeySet(
        "http://sts.example/jwks", refresh_interval=3600, transport=httpx.ASGITransport(issuer)
    )
    verifier = TokenVerifier(keys=keys, issuer="https://sts.example", audience="mediprima")

    caller = await verifier.verify(_token(key, "2026-11"))
    for _ in range(5):
        with pytest.raises(Unauthorized):
            await verifier.verify(_token(key, "made-up"))

    assert caller.subject == "10700187005"
    assert keys.fetches == 1


async def test_a_rotated_key_is_fetched_from_the_issuer_without_a_restart() -> None:
    old_key, old_jwk = _rsa_jwk("a")
    new_key, new_jwk = _rsa_jwk("b")
    published = {"keys": [old_jwk]}
    issuer = FastAPI()

    @issuer.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return published

    keys = RemoteKeySet(
        "http://sts.example/jwks", refresh_interval=0, transport=httpx.ASGITransport(issuer)
    )
    verifier = TokenVerifier(keys=keys, issuer="https://sts.example", audience="mediprima")
    await verifier.verify(_token(old_key, "a"))
    published["keys"] = [new_jwk]

    rotated = await verifier.verify(_token(new_key, "b"))

    assert rotated.role is Role.GP
    assert keys.fetches == 2


async def test_production_shows_documents_and_metrics_to_operators_only(tmp_path: Path) -> None:
    tokens = TokenFactory(TokenFactory.create(tmp_path / "keys").keys_dir, audience="mediprima")
    definition = load_service("settlement")
    settings = embedded_settings(definition, tmp_path, tokens).model_copy(
        update={
            "mode": "production",
            "auth_jwks_path": public_key_set(tokens.keys_dir),
        }
    )

    async with running_service(definition, settings) as client:
        anonymous = [
            await client.get(path)
            for path in ("/openapi.json", "/docs", "/metrics", "/asyncapi.json")
        ]
        as_gp = await client.get("/openapi.json", headers=tokens.headers(Role.GP, "10700187005"))
        operator = tokens.headers(Role.OPERATOR, "operator-1")
        document = await client.get("/openapi.json", headers=operator)
        metrics = await client.get("/metrics", headers=operator)
        events = await client.get("/asyncapi.json", headers=operator)
        health = await client.get("/health")

    assert [answer.status_code for answer in anonymous] == [401, 401, 401, 401]
    assert as_gp.status_code == 403
    assert document.status_code == 200
    assert "/v1/settlements" in str(document.json()["paths"])
    assert metrics.status_code == 200
    assert "process_" in metrics.text
    assert events.status_code == 200
    assert events.json()["asyncapi"] == "3.0.0"
    assert health.status_code == 200
