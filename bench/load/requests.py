"""The requests a load generator sends, written to the file wrk and the open-loop generator read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes = b""

    @classmethod
    def json(cls, method: str, path: str, body: Any, headers: Mapping[str, str]) -> HttpRequest:
        return cls(
            method,
            path,
            {**headers, "Content-Type": "application/json"},
            json.dumps(body, separators=(",", ":")).encode(),
        )

    def raw(self, host: str) -> bytes:
        """The request as HTTP/1.1 puts it on the wire (what wrk sends as it is)."""
        head = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        head += [f"{name}: {value}" for name, value in self.headers.items()]
        head.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode() + self.body


def write_raw(path: Path, requests: Iterable[HttpRequest], host: str) -> int:
    """NUL-separated raw requests (bench/load/requests.lua, bench.load.open_loop); how many."""
    count = 0
    with path.open("wb") as out:
        for request in requests:
            out.write(request.raw(host))
            out.write(b"\0")
            count += 1
    return count
