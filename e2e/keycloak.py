"""The OpenID Connect issuer of the sign-in tests: a real Keycloak with the `mediprima` realm of
deploy/local/keycloak (its users, the console's client), given by MEDIPRIMA_TEST_OIDC_ISSUER or
started here by deploy/local/keycloak.sh in a directory of its own and stopped afterwards."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from servicekit.auth import Role

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy/local/keycloak.sh"
ISSUER_VARIABLE = "MEDIPRIMA_TEST_OIDC_ISSUER"
AUDIENCE = "mediprima"
CONSOLE_CLIENT = ("mediprima-console", "console-local-secret")
# A client of the realm's for tests only: it may trade a user's password for tokens.
TESTS_CLIENT = ("mediprima-tests", "tests-local-secret")
PASSWORD = "mediprima-test"  # noqa: S105  a test realm's user


@dataclass(frozen=True)
class RealmUser:
    username: str
    role: Role
    subject: str


# As in deploy/local/keycloak/mediprima-realm.json.
OPERATOR = RealmUser("operator.anna", Role.OPERATOR, "anna.operator")
OCMW_ONE = RealmUser("ocmw.one", Role.OCMW, "1324807984")
OCMW_TWO = RealmUser("ocmw.two", Role.OCMW, "0162022464")
GP = RealmUser("gp.peeters", Role.GP, "11977223005")
REGISTER = RealmUser("register.bot", Role.REGISTER, "national-register")


@contextmanager
def keycloak_issuer(run_dir: Path) -> Iterator[str]:
    """The issuer URL of a running realm."""
    given = os.environ.get(ISSUER_VARIABLE)
    if given:
        yield given
        return
    env = {**os.environ, "MEDIPRIMA_INFRA_DIR": str(run_dir)}
    env.pop("MEDIPRIMA_KEYCLOAK_PORT", None)
    started = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [str(SCRIPT), "start"], env=env, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        raise RuntimeError(f"keycloak.sh start failed:\n{started.stderr}")
    issuer = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)[
        ISSUER_VARIABLE
    ]
    try:
        yield issuer
    finally:
        subprocess.run(  # noqa: S603
            [str(SCRIPT), "stop"], env=env, capture_output=True, check=False
        )


async def bearer_of(issuer: str, user: RealmUser) -> dict[str, str]:
    """The user's access token, as their own software would get it from the issuer."""
    return {"Authorization": f"Bearer {(await tokens_of(issuer, user))['access_token']}"}


async def tokens_of(issuer: str, user: RealmUser) -> dict[str, str]:
    """The tokens the issuer gives the user: access, ID and refresh token."""
    client_id, secret = TESTS_CLIENT
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{issuer}/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": client_id,
                "client_secret": secret,
                "username": user.username,
                "password": PASSWORD,
                "scope": "openid",
            },
        )
    response.raise_for_status()
    tokens: dict[str, str] = response.json()
    return tokens
