"""Problem details and refusal reasons in the caller's language: English, Dutch or French.

The caller names its languages in `Accept-Language`; English is the default. Rule ids and codes
never change; only texts do. In English every message keeps its occurrence text (which may name
dates, amounts, numbers); in Dutch and French every `{rule, code, message}` of a JSON answer gets
the catalogue's text for its code (`mediprima_contracts.refusals`), and a problem's `title` and
`detail` are rebuilt from those texts. The translation happens once, here, on the answer's JSON,
so refusals inside normal answers (a consultation's reasons, an invoice line's verdict, a
decision's warnings) are translated like problem details, and events are never touched.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediprima_contracts.refusals import LANGUAGES, Language, catalogue

DEFAULT_LANGUAGE: Language = "en"
OPENAPI_NOTE = (
    "Problem details and refusal reasons come in English, Dutch or French, chosen by "
    "`Accept-Language` (`nl`, `nl-BE`, `fr`, `fr-BE`, `en`; English by default) and named in "
    "`Content-Language`; `rule` and `code` are the same in every language. Every item of "
    "`errors` names its rule: domain.md's, or `API-01` (a well-formed request: schema "
    "validation, `code` = pydantic's error type), `API-02` (access), `API-03` (limits), "
    "`API-04` (formats). The catalogue of every code: "
    "`libs/contracts/src/mediprima_contracts/refusals/catalogue.toml`."
)


def chosen_language(accept_language: str | None) -> Language:
    """The supported language the caller ranks highest (RFC 9110 q-values; `nl-BE` counts as
    `nl`, `fr-BE` as `fr`); the first listed wins a tie; English when none is supported."""
    best, best_quality = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, _, parameters = part.partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        quality = _quality(parameters)
        if primary in LANGUAGES and quality > best_quality:
            best, best_quality = primary, quality
    return best


def translate(document: Any, language: Language, *, problem: bool) -> Any:
    """`document` with every refusal's message, and a problem's title and detail, in
    `language`; rule ids and codes unchanged."""
    translated = _translated(document, language)
    if problem and isinstance(translated, dict):
        _translate_problem(translated, language)
    return translated


class LanguageMiddleware:
    """Answers JSON in the language `Accept-Language` chooses, with `Content-Language`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = chosen_language(_header(scope, b"accept-language"))
        if language == DEFAULT_LANGUAGE or scope["method"] == "HEAD":
            await self.app(scope, receive, _labelling(send, language))
        else:
            await self.app(scope, receive, _translating(send, language))


def _labelling(send: Send, language: Language) -> Send:
    async def labelled(message: Message) -> None:
        if message["type"] == "http.response.start" and _json_kind(message) is not None:
            _label(MutableHeaders(scope=message), language)
        await send(message)

    return labelled


def _translating(send: Send, language: Language) -> Send:
    start: Message | None = None
    chunks: list[bytes] = []

    async def translating(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            if _json_kind(message) is None:
                await send(message)
            else:
                start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = _translated_body(b"".join(chunks), language, problem=_json_kind(start) == "problem")
        headers = MutableHeaders(scope=start)
        headers["content-length"] = str(len(body))
        _label(headers, language)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return translating


def _translated_body(body: bytes, language: Language, *, problem: bool) -> bytes:
    try:
        document = json.loads(body)
    except ValueError:
        return body
    translated = translate(document, language, problem=problem)
    return json.dumps(translated, ensure_ascii=False, separators=(",", ":")).encode()


def _translated(value: Any, language: Language) -> Any:
    if isinstance(value, list):
        return [_translated(item, language) for item in value]
    if not isinstance(value, dict):
        return value
    translated = {key: _translated(item, language) for key, item in value.items()}
    if _is_refusal(translated):
        message = catalogue().message(translated["code"], language)
        if message is not None:
            translated["message"] = message
    return translated


def _is_refusal(value: dict[str, Any]) -> bool:
    return (
        "rule" in value
        and isinstance(value.get("code"), str)
        and isinstance(value.get("message"), str)
    )


def _translate_problem(problem: dict[str, Any], language: Language) -> None:
    status = problem.get("status")
    title = catalogue().title(status, language) if isinstance(status, int) else None
    if title is not None:
        problem["title"] = title
    messages = list(
        dict.fromkeys(
            item["message"]
            for item in problem.get("errors") or []
            if isinstance(item, dict) and isinstance(item.get("message"), str)
        )
    )
    if len(messages) == 1:
        problem["detail"] = messages[0]
    elif messages:
        problem["detail"] = catalogue().phrase("several", language, count=len(messages))
    elif title is not None:
        problem["detail"] = title


def _label(headers: MutableHeaders, language: Language) -> None:
    headers["content-language"] = language
    headers.add_vary_header("Accept-Language")


def _json_kind(start: Message) -> str | None:
    """`problem` or `json` for a whole JSON answer; None for anything else, a streamed download
    included (a file holds data, not refusal texts, and is never held back in memory)."""
    headers = MutableHeaders(scope=start)
    if "content-length" not in headers:
        return None
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/problem+json":
        return "problem"
    if media_type == "application/json" or media_type.endswith("+json"):
        return "json"
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0
