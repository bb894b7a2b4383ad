"""Request bodies read with a size limit, so a huge upload is refused before it is parsed."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from servicekit.errors import PayloadTooLarge, ServiceError, Unprocessable


async def read_json(request: Request, *, limit: int) -> Any:
    """The JSON body, or 413 past `limit` bytes (declared or actual), or 422 when not JSON."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError):
        raise Unprocessable.for_rule(
            "I-01", "body.not_json", "The body is not valid JSON", field=None
        ) from None


def _too_large(limit: int) -> ServiceError:
    return PayloadTooLarge.for_rule(
        "I-01", "body.too_large", f"The body is larger than {limit} bytes", field=None
    )


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
