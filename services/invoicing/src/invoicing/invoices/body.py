"""Invoice bodies read as raw JSON (validated field by field by `validation`), and their schemas."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from servicekit.errors import Unprocessable


async def read_json(request: Request) -> Any:
    """The JSON body, or 422 when it is not JSON. Its size was bounded before the route ran
    (the service's `body_limits`, 413 `body.too_large`)."""
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise Unprocessable.for_rule(
            "I-01", "body.not_json", "The body is not valid JSON", field=None
        ) from None


def inline_schema(model: type[Any]) -> dict[str, Any]:
    """The model's JSON schema with its nested definitions inlined, for `openapi_extra`."""
    schema: dict[str, Any] = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def json_body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    }
