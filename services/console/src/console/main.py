"""The console's app: pages for operators, OCMW staff and GPs, over the services' APIs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from console.backends import Backends, ServiceProblem
from console.gp.router import router as gp_router
from console.i18n import pick_language
from console.ocmw.router import router as ocmw_router
from console.operators.dead_letters import router as dead_letters_router
from console.operators.health import router as health_router
from console.operators.invoices import router as invoices_router
from console.operators.payments import router as payments_router
from console.operators.settlements import router as settlements_router
from console.operators.tariffs import router as tariffs_router
from console.pages import go_to, render
from console.settings import ConsoleSettings, read_settings
from console.signin.oidc import OidcSignIn
from console.signin.router import router as signin_router
from servicekit.logging import configure_logging
from servicekit.registry import WebApp

SESSION_COOKIE = "mediprima_console"
SESSION_SECONDS = 8 * 3600
LANGUAGE_COOKIE = "mediprima_language"


def security_headers(settings: ConsoleSettings) -> dict[str, str]:
    """Scripts and styles from the console only (htmx is vendored), no framing, forms post here
    only, but for sign-out, which ends the session at the issuer too (browsers hold a form's
    redirects to `form-action`)."""
    form_action = "'self'"
    if settings.signs_in_with_oidc:
        form_action += f" {_origin(settings.auth_issuer)}"
    return {
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
        f"frame-ancestors 'none'; form-action {form_action}; base-uri 'none'",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def create_app(settings: ConsoleSettings) -> FastAPI:
    configure_logging(service="console")
    # One line per call to a service says nothing the services' own logs do not.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backends = Backends(
            settings.service_urls, timeout=settings.request_timeout_seconds
        )
        try:
            yield
        finally:
            await app.state.backends.close()

    app = FastAPI(
        title="MediPrima console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.oidc = _oidc_sign_in(settings)
    app.state.security_headers = security_headers(settings)
    assert settings.session_secret is not None
    app.middleware("http")(_language)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.mode == "production",
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for router in (
        signin_router,
        invoices_router,
        payments_router,
        settlements_router,
        tariffs_router,
        health_router,
        dead_letters_router,
        ocmw_router,
        gp_router,
    ):
        app.include_router(router)
    _install_error_pages(app)
    return app


async def _language(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """`?lang=` switches the language for good (a cookie); otherwise Accept-Language. Every
    answer also gets the security headers."""
    switched = request.query_params.get("lang")
    request.state.language = pick_language(
        switched or request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )
    response = await call_next(request)
    if switched is not None and switched == request.state.language:
        response.set_cookie(
            LANGUAGE_COOKIE, switched, max_age=365 * 86400, httponly=True, samesite="lax"
        )
    response.headers.setdefault("Content-Language", request.state.language)
    response.headers.update(request.app.state.security_headers)
    return response


def _oidc_sign_in(settings: ConsoleSettings) -> OidcSignIn | None:
    if settings.oidc_client_id is None:
        return None
    assert settings.oidc_client_secret is not None
    assert settings.public_url is not None
    return OidcSignIn(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret.get_secret_value(),
        public_url=settings.public_url,
        scope=settings.oidc_scope,
    )


def _install_error_pages(app: FastAPI) -> None:
    from console.session import BadCsrfToken, NotAllowed, SignInRequired

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        """To the sign-in page; where an OpenID Connect session ran out, straight back to the
        issuer (whose own session usually still holds) and then to the page asked for."""
        assert isinstance(exc, SignInRequired)
        target = "/sign-in"
        if exc.expired and request.app.state.oidc is not None and request.method == "GET":
            target = "/sign-in/start?" + urlencode({"next": _page_of(request)})
        return go_to(request, target)

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceProblem)
        status = exc.status if exc.status in (404, 409, 422) else 502
        return render(
            request,
            "error.html",
            status,
            title=exc.title,
            messages=exc.messages,
            message="The service refused the request.",
        )

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = sorted({str(error["loc"][-1]) for error in exc.errors()})
        return render(
            request,
            "error.html",
            422,
            title="Check the form",
            message="These fields are missing or not valid:",
            messages=fields,
        )

    unreachable = _error_page(
        503,
        title="A service did not answer",
        message="Try again in a moment; operators find the service's state in its /ready.",
    )
    not_allowed = _error_page(403, title="Not allowed", message="Your role may not open this page.")
    bad_csrf = _error_page(
        403,
        title="Form expired",
        message="The form was sent without a valid token: reload and try again.",
    )
    app.add_exception_handler(httpx.TransportError, unreachable)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(SignInRequired, sign_in_first)
    app.add_exception_handler(NotAllowed, not_allowed)
    app.add_exception_handler(BadCsrfToken, bad_csrf)
    app.add_exception_handler(ServiceProblem, problem)


def _page_of(request: Request) -> str:
    """The page the user was on: an htmx fragment's page is in its HX-Current-URL."""
    current = request.headers.get("HX-Current-URL")
    url = urlsplit(current) if current else request.url
    return url.path + (f"?{url.query}" if url.query else "")


def _error_page(
    status: int, *, title: str, message: str
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """A handler answering the error page with a fixed `title` and `message`."""

    async def page(request: Request, _exc: Exception) -> Response:
        return render(request, "error.html", status, title=title, message=message)

    return page


web_app = WebApp(name="console", settings=read_settings, create_app=create_app)
