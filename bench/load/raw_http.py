"""Just enough HTTP/1.1 for the open-loop generator: requests already encoded (as wrk sends them)
written on keep-alive connections, answers read by their Content-Length.

Why not httpx: at 200 requests/s it spends about 1.5 ms of CPU per request here, a third of a
core, and on two shared cores a starved generator reports its own delays as the server's. This
costs a few tens of microseconds per request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


class AnswerError(RuntimeError):
    """The server closed the connection or answered something this client does not read."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def exchange(self, request: bytes) -> Answer:
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = None
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise AnswerError(f"chunked answers are not read here: {status_line}")
        body = await self._reader.readexactly(length) if length else b""
        return Answer(int(status_line.split(" ", 2)[1]), body)

    def close(self) -> None:
        self._writer.close()


class Pool:
    """Keep-alive connections to one server, opened as needed up to `limit`."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self._host, self._port = host, port
        self._idle: list[Connection] = []
        self._slots = asyncio.Semaphore(limit)

    async def exchange(self, request: bytes) -> Answer:
        async with self._slots:
            connection = self._idle.pop() if self._idle else await self._open()
            try:
                answer = await connection.exchange(request)
            except BaseException:
                connection.close()
                raise
            self._idle.append(connection)
            return answer

    async def _open(self) -> Connection:
        reader, writer = await asyncio.open_connection(self._host, self._port)
        return Connection(reader, writer)

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
