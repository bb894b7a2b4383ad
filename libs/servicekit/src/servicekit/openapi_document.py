"""One way to add to the OpenAPI document FastAPI generates: built once, then cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI


def amend_openapi(app: FastAPI, amend: Callable[[dict[str, Any]], None]) -> None:
    """Make `app.openapi()` apply `amend` to the document it built so far, once; amendments
    made in turn apply in that order."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            amend(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
