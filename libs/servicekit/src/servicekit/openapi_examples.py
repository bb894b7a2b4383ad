"""An example on every request body, success response and problem+json error in OpenAPI.

Built once from the document itself: a problem's example from the refusal catalogue (so every
code it shows exists), a body's from its schema, taking the values the models declare
(`Field(examples=[...])`) and otherwise a value the schema's own bounds and formats accept.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from mediprima_contracts.refusals import SCHEMA_RULE, catalogue
from servicekit.errors import PROBLEM_JSON
from servicekit.openapi_document import amend_openapi

_CODES = {
    400: "body.not_json",
    401: "auth.missing_token",
    403: "auth.role_not_allowed",
    404: "decision.not_found",
    406: "certificate.format_not_offered",
    409: "hand_over.already_pending",
    412: "decision.version_stale",
    413: "body.too_large",
    422: "string_pattern_mismatch",
    428: "decision.if_match_required",
    429: "rate.too_many_per_caller",
    503: "service.overloaded",
}
"""A representative refusal code by status, each in the catalogue."""
_DETAILS = {
    400: "The request body could not be read.",
    401: "The request carries no bearer token.",
    403: "Your role may not do this.",
    404: "There is no such object.",
    406: "None of the accepted media types can be produced.",
    409: "The request conflicts with the object's current state.",
    412: "The object changed since the version in If-Match.",
    413: "The request body is over its limit.",
    415: "The request body's media type is not accepted.",
    422: "1 invalid field(s)",
    428: "The change needs an If-Match header.",
    429: "Too many requests; retry after the Retry-After seconds.",
    503: "The service is busy; retry after the Retry-After seconds.",
}
_FORMATS = {
    "date": "2026-03-01",
    "date-time": "2026-03-01T09:30:00Z",
    "uuid": "3f2b8c1e-6d4a-4b7e-9c2d-5a1f0e8b7c6d",
    "email": "social.worker@ocmw.example.be",
    "uri": "https://ocmw.example.be/",
    "duration": "P1D",
}
_METHODS = ("get", "put", "post", "delete", "patch")


def document_examples(app: FastAPI) -> None:
    """Make `app.openapi()` (already documenting problems) carry examples; built once."""
    amend_openapi(app, add_examples)


def add_examples(document: dict[str, Any]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                _give_example(media, schemas)
            for status, answer in operation.get("responses", {}).items():
                for media_type, media in answer.get("content", {}).items():
                    if media_type == PROBLEM_JSON and status.isdigit():
                        media.setdefault("example", problem_example(int(status)))
                    elif status.startswith("2") and media_type.endswith("json"):
                        _give_example(media, schemas)


def problem_example(status: int) -> dict[str, Any]:
    """A problem+json body as the service answers it for `status`, in English."""
    refusals = catalogue()
    title = refusals.title(status, "en") or "Problem"
    example: dict[str, Any] = {
        "type": f"https://mediprima.example/problems/{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": _DETAILS.get(status, title),
    }
    item = _error_item(status)
    if item:
        example["errors"] = [item]
    return example


def _error_item(status: int) -> dict[str, str] | None:
    code = _CODES.get(status)
    if code is None:
        return None
    refusals = catalogue()
    item = {
        "rule": refusals.rule_of(code) or SCHEMA_RULE,
        "code": code,
        "message": refusals.message(code, "en") or code,
    }
    if code == "string_pattern_mismatch":
        item["field"] = "body.ssin"
    return item


def _give_example(media: dict[str, Any], schemas: dict[str, Any]) -> None:
    if "example" in media or "examples" in media or "schema" not in media:
        return
    media["example"] = example_of(media["schema"], schemas)


def example_of(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """A value `schema` accepts: its declared example, else one built from its parts."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example_of(schemas[name], schemas, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            branches = [b for b in schema[combined] if b.get("type") != "null"]
            return example_of(branches[0] if branches else schema[combined][0], schemas, depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        # Deep optional parts are left out: the example stays readable.
        wanted = properties if depth < 4 else dict.fromkeys(schema.get("required", []))
        return {
            name: example_of(properties[name], schemas, depth + 1)
            for name in wanted
            if name in properties
        }
    if kind == "array":
        return [example_of(schema.get("items", {}), schemas, depth + 1)] * max(
            1, schema.get("minItems", 1)
        )
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "example"


def _string(schema: dict[str, Any]) -> str:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    value = "example"
    least: int = schema.get("minLength", 0)
    most: int = schema.get("maxLength", len(value))
    return (value * (least // len(value) + 1))[: max(least, min(len(value), most))]


def _number(schema: dict[str, Any], kind: str) -> int | float:
    step = 1 if kind == "integer" else 0.5
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + step)
    high = schema.get("maximum", schema.get("exclusiveMaximum", low + 2 * step) - step)
    value: float = min(max(low, 1), high)
    return int(value) if kind == "integer" else value
