"""The five services' APIs, called with the signed-in user's own token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from console.session import NotAllowed, SignInRequired, User
from servicekit.http import outbound_client


class ServiceProblem(Exception):
    """A service refused the request: its problem's title and each error's message, to show."""

    def __init__(self, status: int, title: str, messages: list[str]) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.messages = messages


class Backends:
    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout: float,
        clients: Mapping[str, httpx.AsyncClient] | None = None,
    ) -> None:
        """`clients` reach some services another way than their URL (a test's in-process app)."""
        given = clients or {}
        self._clients = {
            name: given.get(name) or outbound_client(url, timeout=timeout)
            for name, url in urls.items()
        }

    @property
    def services(self) -> list[str]:
        return list(self._clients)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def call(
        self, service: str, method: str, path: str, user: User, **kwargs: Any
    ) -> httpx.Response:
        """The answer when it is a success; a refusal raises what the page shows instead."""
        headers = {**user.bearer, **kwargs.pop("headers", {})}
        response = await self._clients[service].request(method, path, headers=headers, **kwargs)
        if response.status_code == 401:
            raise SignInRequired(expired=True)
        if response.status_code == 403:
            raise NotAllowed
        if response.status_code >= 400:
            raise _problem(response)
        return response

    async def json(self, service: str, method: str, path: str, user: User, **kwargs: Any) -> Any:
        return (await self.call(service, method, path, user, **kwargs)).json()


def _problem(response: httpx.Response) -> ServiceProblem:
    try:
        body = response.json()
    except ValueError:
        return ServiceProblem(response.status_code, response.reason_phrase, [])
    if not isinstance(body, dict):
        return ServiceProblem(response.status_code, response.reason_phrase, [])
    messages = [
        " ".join(
            str(part)
            for part in (
                error.get("rule"),
                error.get("code"),
                error.get("field"),
                error.get("message"),
            )
            if part
        )
        for error in body.get("errors") or []
        if isinstance(error, dict)
    ]
    return ServiceProblem(
        response.status_code, str(body.get("title") or response.reason_phrase), messages
    )
