"""Bearer JWTs verified against a key set; the roles and identities of architecture.md."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
from cachetools import TLRUCache
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.errors import Forbidden, Unauthorized
from servicekit.keysets import FileKeySet, KeySet

CLOCK_SKEW_SECONDS = 30
"""Leeway on `exp`, `iat` and `nbf`: the issuer's clock and ours may differ a little."""

TRUSTED_FOR_SECONDS = 60.0
"""How long a verified token is taken again without checking it against the key set as it is now
(never past its `exp`): a token signed by a withdrawn key is refused within this."""
VERIFIED_TOKENS_KEPT = 10_000


class Role(StrEnum):
    OCMW = "ocmw"
    GP = "gp"
    REGISTER = "register"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who calls: a role, and the identity it acts as (enterprise or RIZIV number, or a name)."""

    role: Role
    subject: str

    @property
    def is_operator(self) -> bool:
        return self.role is Role.OPERATOR


@dataclass(frozen=True, slots=True)
class Verified:
    """A token's caller, and when the token expires (its `exp`)."""

    principal: Principal
    expires_at: float


def _trusted_until(_token: str, verified: Verified, now: float) -> float:
    return min(now + TRUSTED_FOR_SECONDS, verified.expires_at + CLOCK_SKEW_SECONDS)


class TokenVerifier:
    """Checks a bearer token's signature and claims; a client sends the same token for its whole
    life, so a verified one is remembered (an RSA check costs more than the rest of a read)."""

    def __init__(
        self,
        *,
        keys: KeySet,
        issuer: str,
        audience: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._verified: TLRUCache[str, Verified] = TLRUCache(
            maxsize=VERIFIED_TOKENS_KEPT, ttu=_trusted_until, timer=clock
        )

    @classmethod
    def from_file(cls, path: Path, *, issuer: str, audience: str) -> TokenVerifier:
        return cls(keys=FileKeySet.read(path), issuer=issuer, audience=audience)

    async def verify(self, token: str) -> Principal:
        return (await self.verified(token)).principal

    async def verified(self, token: str) -> Verified:
        verified = self._verified.get(token)
        if verified is None:
            verified = await self._verify(token)
            self._verified[token] = verified
        return verified

    async def _verify(self, token: str) -> Verified:
        try:
            header = jwt.get_unverified_header(token)
            key = await self._keys.signing_key(header.get("kid"))
            # The key fixes the algorithm: a token claiming another one (ES256 against an RSA
            # key, `none`) is refused, never tried.
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[key.algorithm_name],
                leeway=CLOCK_SKEW_SECONDS,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "role"]},
            )
            return Verified(
                Principal(role=Role(claims["role"]), subject=str(claims["sub"])),
                expires_at=float(claims["exp"]),
            )
        except (jwt.PyJWTError, ValueError, KeyError, httpx.HTTPError) as exc:
            raise Unauthorized.for_rule(
                None, "auth.invalid_token", f"Invalid token: {exc}"
            ) from exc


_bearer = HTTPBearer(auto_error=False)


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized.for_rule(None, "auth.missing_token", "A bearer token is required")
    # An address presenting bad token after bad token is slowed down (servicekit.ratelimits).
    limits = getattr(request.app.state, "rate_limits", None)
    address = request.client.host if request.client else "unknown"
    if limits is not None:
        await limits.refuse_if_guessing(address)
    verifier: TokenVerifier = request.app.state.verifier
    try:
        return await verifier.verify(credentials.credentials)
    except Unauthorized:
        if limits is not None:
            await limits.note_bad_token(address)
        raise


def require(*roles: Role) -> Any:
    """A dependency returning the caller when it holds one of `roles`, else 403."""

    # async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request
    async def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if principal.role not in roles:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden.for_rule(
                None, "auth.role_not_allowed", f"This operation needs one of: {allowed}"
            )
        return principal

    check.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the matrix test
    return Depends(check)
