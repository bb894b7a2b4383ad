"""Every error a protected operation can answer, documented as problem+json in OpenAPI.

FastAPI documents only its own 422 body (`HTTPValidationError`, as `application/json`), whereas
every error here is an RFC 9457 problem (servicekit.errors). Generated clients and the API fuzzing
(fuzz/) read the document: it must say what the service really answers.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from servicekit.errors import PROBLEM_JSON, Problem
from servicekit.openapi_document import amend_openapi

_WHY = {
    400: "The request is malformed.",
    401: "No valid bearer token.",
    403: "The token's role may not do this, or the object is not the caller's.",
    404: "No such object (or not the caller's).",
    406: "None of the accepted media types can be produced.",
    409: "The request conflicts with the object's state.",
    412: "The `If-Match` version is not the current one.",
    413: "The request body is over its limit.",
    428: "The change needs an `If-Match` header with the version it is based on.",
    415: "The request body's media type is not accepted.",
    422: "The request breaks a validation or domain rule; `errors` names each.",
    429: "Too many requests; wait `Retry-After` seconds.",
}
_ALWAYS = (401, 403, 422, 429)
_METHODS = ("get", "put", "post", "delete", "patch")


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers these error statuses besides the usual ones."""
    return {status: _problem_response(status) for status in statuses}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": _WHY.get(status, "Problem details."),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_problems(app: FastAPI) -> None:
    """Make `app.openapi()` document problem+json errors on every protected operation."""
    amend_openapi(app, _add_problems)


def _add_problems(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in _METHODS or not operation.get("security"):
                continue  # public: /health, /ready
            responses = operation.setdefault("responses", {})
            statuses = set(_ALWAYS)
            if "{" in path:
                statuses.add(404)
            if method != "get":  # a change may conflict with the state of what it changes
                statuses.add(409)
            if "requestBody" in operation:
                statuses |= {400, 413, 415}
            if _media_types(responses) > 1:
                statuses.add(406)
            for status in statuses | {int(code) for code in responses if code[0] in "45"}:
                _as_problem(responses.setdefault(str(status), _problem_response(status)))
    text = json.dumps(document["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'/{unused}"' not in text:
            schemas.pop(unused, None)


def _as_problem(answer: dict[str, Any]) -> None:
    """An error answer's body under problem+json; FastAPI's validation body becomes a Problem."""
    content = answer.setdefault("content", {})
    declared = content.pop("application/json", None)
    if declared and declared.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
        declared = None
    content.setdefault(
        PROBLEM_JSON, declared or {"schema": {"$ref": "#/components/schemas/Problem"}}
    )


def _media_types(responses: dict[str, Any]) -> int:
    success = [answer for status, answer in responses.items() if status.startswith("2")]
    return max((len(answer.get("content", {})) for answer in success), default=0)
