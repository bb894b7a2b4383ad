"""Sign-in and sign-out, and the home page that sends each role to its own pages.

Two ways in: with OpenID Connect against the platform's issuer (production; `signin.oidc`), or,
in local mode without it, a page that mints a token for a chosen role and identity."""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from console import session
from console.pages import render
from console.session import CsrfChecked
from console.signin.oidc import NoMediPrimaRole, OidcSignIn, SignInFailed
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
    if _oidc(request) is not None:
        return render(request, "sign_in_oidc.html")
    return render(request, "sign_in.html", roles=list(HOMES))


@router.post("/sign-in", dependencies=[CsrfChecked])
async def sign_in(
    request: Request, role: Annotated[Role, Form()], subject: Annotated[str, Form()]
) -> Response:
    """Local mode: a token for the chosen role and identity, signed with the local key. Where
    users sign in with OpenID Connect, no token is ever minted here."""
    if _oidc(request) is not None:
        return _not_here(request)
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


@router.get("/sign-in/start")
async def start_oidc_sign_in(request: Request) -> Response:
    """To the issuer's sign-in page; `next` (a page of the console) is where the user lands
    after it, as when their token ran out in the middle of their work."""
    oidc = _oidc(request)
    if oidc is None:
        return _not_here(request)
    next_page = request.query_params.get("next", "")
    request.session.clear()
    if _is_console_page(next_page):
        request.session["next"] = next_page
    return await oidc.start(request)


@router.get("/sign-in/callback")
async def finish_oidc_sign_in(request: Request) -> Response:
    """Where the issuer sends the browser back with a code: tokens in exchange, then a session."""
    oidc = _oidc(request)
    if oidc is None:
        return _not_here(request)
    try:
        signed = await oidc.complete(request)
    except SignInFailed:
        return render(
            request,
            "error.html",
            400,
            title="Sign-in did not complete",
            message="The sign-in was cancelled, took too long or was started elsewhere.",
            retry="/sign-in/start",
        )
    except NoMediPrimaRole:
        signed = None
    if signed is None or signed.principal.role not in HOMES:
        return render(
            request,
            "error.html",
            403,
            title="No access to the console",
            message="Your account has no role in MediPrima's console; ask your administrator.",
        )
    next_page = str(request.session.get("next", ""))
    principal = signed.principal
    session.sign_in(
        request,
        role=principal.role,
        subject=principal.subject,
        token=signed.access_token,
        expires_at=signed.expires_at,
        id_token=signed.id_token,
    )
    return RedirectResponse(next_page or HOMES[principal.role], status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
async def sign_out(request: Request) -> Response:
    id_token = session.id_token(request)
    session.sign_out(request)
    oidc = _oidc(request)
    if oidc is not None:
        return await oidc.sign_out(id_token)
    return RedirectResponse("/sign-in", status_code=303)


def _oidc(request: Request) -> OidcSignIn | None:
    oidc: OidcSignIn | None = request.app.state.oidc
    return oidc


def _not_here(request: Request) -> Response:
    return render(
        request, "error.html", 404, title="Not found", message="This console has no such page."
    )


def _is_console_page(path: str) -> bool:
    """A path on this console only: `//host/…` or `/\\host` would send the user elsewhere."""
    return path.startswith("/") and not path.startswith(("//", "/\\")) and len(path) <= 2000
