"""Rendering a page: the template, the user's language and the CSRF token of its forms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
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
