"""Request bodies are bounded before anything else reads them: before parsing, before the token.

A body is read in full up to its route's limit (the service's default unless the service names a
larger or smaller one for a path), then handed on; one byte more, declared or sent, and the
request is answered 413 at once, the rest never read. So no request, with or without a token,
makes a service hold more than the limit in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.errors import PayloadTooLarge, ServiceError, problem_response


@dataclass(frozen=True)
class BodyLimit:
    """At most `max_bytes` in a request body on `path`; `rule` names the rule it enforces."""

    max_bytes: int
    rule: str | None = None


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, default: BodyLimit, by_path: Mapping[str, BodyLimit]
    ) -> None:
        self.app, self.default, self.by_path = app, default, dict(by_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope["path"], self.default)
        declared = _declared_length(scope)
        if declared is not None and declared > limit.max_bytes:
            await _refuse(limit, scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit.max_bytes:
                await _refuse(limit, scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(chunks: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """The body read so far, as one message, then whatever the client sends next."""
    pending: list[Message] = (
        [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
        if last is None
        else [last]
    )

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _refuse(limit: BodyLimit, scope: Scope, receive: Receive, send: Send) -> None:
    error: ServiceError = PayloadTooLarge.for_rule(
        limit.rule,
        "body.too_large",
        f"The body is larger than {limit.max_bytes} bytes",
        field=None,
    )
    response = problem_response(error.to_problem(), {"Connection": "close"})
    await response(scope, receive, send)
