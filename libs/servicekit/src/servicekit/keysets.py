"""The public keys tokens are verified with: a file (local mode, tests) or the issuer's JWKS URL.

From a URL the set is fetched at the first token and again when a token names a key id the set
does not hold, at most once per `refresh_interval`: the issuer rotates its keys and the services
follow without a restart, and a flood of made-up key ids costs one fetch a minute, not one each.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt


class KeySet(Protocol):
    async def signing_key(self, kid: str | None) -> jwt.PyJWK: ...


def _find(keys: jwt.PyJWKSet | None, kid: str | None) -> jwt.PyJWK | None:
    for key in keys.keys if keys else ():
        if kid is None or key.key_id == kid:
            return key
    return None


class FileKeySet:
    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = jwt.PyJWKSet.from_dict(jwks)

    @classmethod
    def read(cls, path: Path) -> FileKeySet:
        return cls(json.loads(path.read_text()))

    async def signing_key(self, kid: str | None) -> jwt.PyJWK:
        key = _find(self._keys, kid)
        if key is None:
            raise jwt.InvalidKeyError(f"unknown key id {kid!r}")
        return key


class RemoteKeySet:
    def __init__(
        self,
        url: str,
        *,
        refresh_interval: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url, self.refresh_interval = url, refresh_interval
        self._transport = transport
        self._keys: jwt.PyJWKSet | None = None
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def signing_key(self, kid: str | None) -> jwt.PyJWK:
        key = _find(self._keys, kid)
        if key is None:
            await self._refresh()
            key = _find(self._keys, kid)
        if key is None:
            raise jwt.InvalidKeyError(f"unknown key id {kid!r}")
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._fetched_at < self.refresh_interval:
                return
            self._fetched_at = time.monotonic()
            async with httpx.AsyncClient(transport=self._transport, timeout=5.0) as client:
                response = await client.get(self.url)
            self.fetches += 1
            response.raise_for_status()
            self._keys = jwt.PyJWKSet.from_dict(response.json())
