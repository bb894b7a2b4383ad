"""Body limits: a body over its route's limit is refused 413 before it is parsed or the token is
looked at, whether its length is declared or it arrives in chunks."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI

from servicekit.auth import Principal, Role, TokenVerifier, require
from servicekit.errors import install_problem_handlers
from servicekit.limits import BodyLimit, BodyLimitMiddleware
from servicekit.testing import TokenFactory

LIMIT = 1024
JSON = {"content-type": "application/json"}


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFactory:
    return TokenFactory.create(tmp_path / "keys")


@pytest.fixture
async def client(tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.add_middleware(
        BodyLimitMiddleware,
        default=BodyLimit(LIMIT),
        by_path={"/uploads": BodyLimit(4 * LIMIT, rule="I-01")},
    )
    install_problem_handlers(app)
    app.state.verifier = TokenVerifier.from_file(
        tokens.jwks_path, issuer=tokens.issuer, audience=tokens.audience
    )

    @app.post("/notes")
    async def note(body: dict[str, Any], _: Annotated[Principal, require(Role.GP)]) -> int:
        return len(body["text"])

    @app.post("/uploads")
    async def upload(body: dict[str, Any], _: Annotated[Principal, require(Role.GP)]) -> int:
        return len(body["text"])

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://limits") as http:
        yield http


def body_of(size: int) -> bytes:
    return b'{"text": "' + b"x" * (size - 12) + b'"}'


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 100):
        yield body[start : start + 100]


async def test_a_body_over_the_limit_is_refused_before_the_token_is_checked(
    client: httpx.AsyncClient,
) -> None:
    declared = await client.post("/notes", content=body_of(LIMIT + 1))
    streamed = await client.post("/notes", content=chunks(body_of(LIMIT + 1)))

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["code"] == "body.too_large"


async def test_a_body_within_the_limit_reaches_the_route_whole(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    headers = tokens.headers(Role.GP, "19876543003") | JSON

    declared = await client.post("/notes", content=body_of(LIMIT), headers=headers)
    streamed = await client.post("/notes", content=chunks(body_of(LIMIT)), headers=headers)
    anonymous = await client.post("/notes", content=body_of(LIMIT), headers=JSON)

    assert (declared.status_code, declared.json()) == (200, LIMIT - 12)
    assert (streamed.status_code, streamed.json()) == (200, LIMIT - 12)
    assert anonymous.status_code == 401


async def test_a_route_with_its_own_limit_names_its_rule(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    headers = tokens.headers(Role.GP, "19876543003") | JSON

    within = await client.post("/uploads", content=body_of(2 * LIMIT), headers=headers)
    over = await client.post("/uploads", content=body_of(4 * LIMIT + 1), headers=headers)

    assert within.status_code == 200
    assert over.status_code == 413
    assert over.json()["errors"][0]["rule"] == "I-01"


async def test_an_unauthenticated_100_mb_body_is_refused_without_being_read(
    client: httpx.AsyncClient,
) -> None:
    sent = 0

    async def hundred_megabytes() -> AsyncIterator[bytes]:
        nonlocal sent
        block = b"x" * 65_536
        for _ in range(100 * 1024 * 1024 // len(block)):
            sent += len(block)
            yield block

    declared = await client.post(
        "/notes", content=b"", headers={"content-length": str(100 * 1024 * 1024)}
    )
    streamed = await client.post("/notes", content=hundred_megabytes())

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["errors"][0]["code"] == "body.too_large"
    assert sent <= 2 * 65_536  # the server stopped taking it after the limit
