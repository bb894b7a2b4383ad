"""OpenAPI links: what a client (or the API fuzzing's stateful runs) may call next with an answer.

`responses={201: links(get=link("get", "/v1/things/{id}", id="$response.body#/id"))}` tells a
generated client, and schemathesis' state machine, that the created thing's id feeds that call.
"""

from __future__ import annotations

from typing import Any


def link(method: str, path: str, **parameters: str) -> dict[str, Any]:
    """A link to the operation `method path`; `header_If_Match=` names the header `If-Match`."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {
        "operationRef": f"#/paths/{pointer}/{method.lower()}",
        "parameters": {
            (f"header.{name[7:].replace('_', '-')}" if name.startswith("header_") else name): value
            for name, value in parameters.items()
        },
    }


def links(**named: dict[str, Any]) -> dict[str, Any]:
    """A response's `links`, by name."""
    return {"links": named}
