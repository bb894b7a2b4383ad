"""A verified token is taken again without an RSA check, but never past its expiry and never for
long after its key is withdrawn."""

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from servicekit.auth import CLOCK_SKEW_SECONDS, TRUSTED_FOR_SECONDS, TokenVerifier
from servicekit.errors import Unauthorized


class WithdrawableKeys:
    """A key set whose keys can be withdrawn, counting the lookups a verification makes."""

    def __init__(self, key: rsa.RSAPrivateKey, kid: str) -> None:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        self.keys = {kid: jwt.PyJWK(jwk | {"kid": kid, "alg": "RS256"})}
        self.lookups = 0

    async def signing_key(self, kid: str | None) -> jwt.PyJWK:
        self.lookups += 1
        if kid not in self.keys:
            raise jwt.PyJWKError(f"no key {kid}")
        return self.keys[kid]


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def token(key: rsa.RSAPrivateKey, *, expires_in: int) -> str:
    now = int(time.time())
    claims = {"iss": "https://sts.example", "aud": "mediprima", "sub": "10700187005"}
    claims |= {"role": "gp", "iat": now, "exp": now + expires_in}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def verifier(keys: WithdrawableKeys, clock: Clock) -> TokenVerifier:
    return TokenVerifier(keys=keys, issuer="https://sts.example", audience="mediprima", clock=clock)


async def test_a_token_sent_again_is_not_checked_again(signing_key: rsa.RSAPrivateKey) -> None:
    keys, clock = WithdrawableKeys(signing_key, "k1"), Clock()
    check = verifier(keys, clock)
    sent = token(signing_key, expires_in=600)

    callers = [await check.verify(sent) for _ in range(3)]

    assert {caller.subject for caller in callers} == {"10700187005"}
    assert keys.lookups == 1


async def test_a_withdrawn_key_is_refused_once_the_trust_runs_out(
    signing_key: rsa.RSAPrivateKey,
) -> None:
    keys, clock = WithdrawableKeys(signing_key, "k1"), Clock()
    check = verifier(keys, clock)
    sent = token(signing_key, expires_in=600)
    await check.verify(sent)
    keys.keys.clear()

    clock.now += TRUSTED_FOR_SECONDS - 1
    still = await check.verify(sent)
    clock.now += 2
    with pytest.raises(Unauthorized):
        await check.verify(sent)

    assert still.subject == "10700187005"


async def test_a_remembered_token_is_not_taken_past_its_expiry(
    signing_key: rsa.RSAPrivateKey,
) -> None:
    keys, clock = WithdrawableKeys(signing_key, "k1"), Clock()
    check = verifier(keys, clock)
    sent = token(signing_key, expires_in=5)
    await check.verify(sent)
    keys.keys.clear()  # so a second check of the token can only refuse it

    clock.now += 5 + CLOCK_SKEW_SECONDS + 1  # past exp and its leeway, within the trust
    with pytest.raises(Unauthorized):
        await check.verify(sent)

    assert 5 + CLOCK_SKEW_SECONDS + 1 < TRUSTED_FOR_SECONDS
