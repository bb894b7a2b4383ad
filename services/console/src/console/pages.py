"""Rendering a page: the template, the user's language and the CSRF token of its forms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from console.i18n import translator
from console.session import csrf_token, current_user

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _money(value: Any) -> str:
    return "" if value is None else f"{Decimal(str(value)):,.2f}"


TEMPLATES.env.filters["money"] = _money


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    language: str = request.state.language
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "_": translator(language),
            "language": language,
            "user": current_user(request),
            "csrf_token": csrf_token(request),
            **context,
        },
        status_code=status_code,
    )


def go_to(request: Request, page: str) -> Response:
    """Sends the browser to `page`: a 303, or for an htmx request (whose answer would land in a
    fragment) an `HX-Redirect` that moves the whole page."""
    if "HX-Request" in request.headers:
        return Response(status_code=204, headers={"HX-Redirect": page})
    return RedirectResponse(page, status_code=303)
