"""Rate limits: a caller over its window, or an address trying bad tokens, is answered 429 with
Retry-After before the route works; other callers go on."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI

from servicekit.auth import Principal, Role, TokenVerifier, require
from servicekit.errors import install_problem_handlers
from servicekit.ratelimits import RateLimits, rate_limited
from servicekit.testing import TokenFactory


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFactory:
    return TokenFactory.create(tmp_path / "keys")


@pytest.fixture
async def client(tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.verifier = TokenVerifier.from_file(
        tokens.jwks_path, issuer=tokens.issuer, audience=tokens.audience
    )
    app.state.rate_limits = RateLimits(
        per_identity="3/minute", per_address="5/minute", bad_tokens_per_address="2/minute"
    )
    calls: list[str] = []

    @app.post("/consultations", dependencies=[rate_limited("consultations")])
    async def consult(caller: Annotated[Principal, require(Role.GP)]) -> int:
        calls.append(caller.subject)
        return len(calls)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://limits") as http:
        yield http


async def test_a_caller_over_its_window_gets_429_with_retry_after(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    looping = tokens.headers(Role.GP, "10700187005")
    other = tokens.headers(Role.GP, "12519433005")

    answers = [await client.post("/consultations", headers=looping) for _ in range(4)]
    others = await client.post("/consultations", headers=other)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["errors"][0]["code"] == "rate.too_many_per_caller"
    assert (others.status_code, others.json()) == (200, 4)  # the refused call did no work


async def test_one_address_is_bounded_whoever_it_claims_to_be(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    callers = [tokens.headers(Role.GP, f"1{index:07d}005") for index in range(6)]

    answers = [await client.post("/consultations", headers=caller) for caller in callers]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert answers[-1].json()["errors"][0]["code"] == "rate.too_many_per_address"


async def test_an_address_trying_bad_tokens_is_slowed_even_with_a_good_one(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    bad = {"Authorization": "Bearer guessed"}

    tries = [await client.post("/consultations", headers=bad) for _ in range(3)]
    good = await client.post("/consultations", headers=tokens.headers(Role.GP, "10700187005"))

    assert [answer.status_code for answer in tries] == [401, 401, 429]
    assert good.status_code == 429
    assert good.json()["errors"][0]["code"] == "auth.too_many_bad_tokens"
    assert int(good.headers["retry-after"]) >= 1
