"""Sign-in and sign-out, and the home page that sends each role to its own pages."""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from console import session
from console.pages import render
from console.session import CsrfChecked
from servicekit.auth import Role
from servicekit.localkeys import mint_token

router = APIRouter()

TOKEN_SECONDS = 8 * 3600
HOMES = {
    Role.OPERATOR: "/operator/invoices",
    Role.OCMW: "/ocmw/decisions",
    Role.GP: "/gp/coverage",
}
# Which identity each role signs in as: an enterprise number, a RIZIV number, a name.
SUBJECTS = {
    Role.OCMW: re.compile(r"^\d{10}$"),
    Role.GP: re.compile(r"^\d{11}$"),
    Role.OPERATOR: re.compile(r"^[\w.@-]{1,64}$"),
}


@router.get("/")
async def home(request: Request) -> Response:
    user = session.current_user(request)
    if user is None or user.role not in HOMES:
        return RedirectResponse("/sign-in", status_code=303)
    return RedirectResponse(HOMES[user.role], status_code=303)


@router.get("/health")
@router.get("/ready")
async def alive() -> dict[str, str]:
    """Alive and ready: the console keeps nothing of its own to wait for."""
    return {"status": "ok"}


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html", roles=list(HOMES))


@router.post("/sign-in", dependencies=[CsrfChecked])
async def sign_in(
    request: Request, role: Annotated[Role, Form()], subject: Annotated[str, Form()]
) -> Response:
    """Local mode: a token for the chosen role and identity, signed with the local key."""
    subject = subject.strip()
    if role not in HOMES or not SUBJECTS[role].match(subject):
        return render(
            request,
            "sign_in.html",
            422,
            roles=list(HOMES),
            chosen=role,
            subject=subject,
            problem="This identity does not fit the role.",
        )
    settings = request.app.state.settings
    token = mint_token(
        settings.keys_dir,
        role=role,
        subject=subject,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        ttl_seconds=TOKEN_SECONDS,
    )
    session.sign_in(
        request, role=role, subject=subject, token=token, expires_at=time.time() + TOKEN_SECONDS
    )
    return RedirectResponse(HOMES[role], status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
async def sign_out(request: Request) -> Response:
    session.sign_out(request)
    return RedirectResponse("/sign-in", status_code=303)
