"""Who is signed in (kept in the signed session cookie) and the CSRF token of their forms."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from servicekit.auth import Role

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in user: the bearer token the console calls the services with, and what it says."""

    role: Role
    subject: str
    token: str
    expires_at: float

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class SignInRequired(Exception):
    """No user, or their token has expired: the console sends them to the sign-in page."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__()
        self.expired = expired


class NotAllowed(Exception):
    """The user's role may not open this page."""


class BadCsrfToken(Exception):
    """A form sent without this session's CSRF token."""


def sign_in(
    request: Request,
    *,
    role: Role,
    subject: str,
    token: str,
    expires_at: float,
    id_token: str | None = None,
) -> None:
    """A new session (a new CSRF token too); `id_token` is kept to end the issuer's session at
    sign-out."""
    request.session.clear()
    request.session.update(
        {
            "role": role.value,
            "subject": subject,
            "token": token,
            "expires_at": expires_at,
            CSRF_FIELD: secrets.token_urlsafe(32),
        }
    )
    if id_token is not None:
        request.session["id_token"] = id_token


def id_token(request: Request) -> str | None:
    value = request.session.get("id_token")
    return value if isinstance(value, str) else None


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request) -> User | None:
    session: dict[str, Any] = request.session
    if "token" not in session or float(session.get("expires_at", 0)) <= time.time():
        return None
    return User(
        role=Role(session["role"]),
        subject=str(session["subject"]),
        token=str(session["token"]),
        expires_at=float(session["expires_at"]),
    )


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use (the sign-in form needs one too)."""
    token = request.session.get(CSRF_FIELD)
    if token is None:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(token)


async def checked_csrf(request: Request) -> None:
    """Refuses a form whose CSRF token (field or htmx header) is not this session's."""
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER) or (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise BadCsrfToken


def _signed_in(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise SignInRequired(expired="token" in request.session)
    return user


def require(*roles: Role) -> Any:
    """A dependency returning the signed-in user when they hold one of `roles`."""

    async def check(user: Annotated[User, Depends(_signed_in)]) -> User:
        if user.role not in roles:
            raise NotAllowed
        return user

    return Depends(check)


SignedIn = Annotated[User, Depends(_signed_in)]
Operator = Annotated[User, require(Role.OPERATOR)]
OcmwStaff = Annotated[User, require(Role.OCMW)]
Gp = Annotated[User, require(Role.GP)]
CsrfChecked = Depends(checked_csrf)
