"""A service's file handed to the browser as it came (CSV, JSON or PDF, by the link's suffix)."""

from __future__ import annotations

from fastapi import Request, Response

from console.backends import ServiceProblem
from console.session import User

FILE_TYPES = {"csv": "text/csv", "json": "application/json", "pdf": "application/pdf"}


async def forward(request: Request, user: User, service: str, path: str, kind: str) -> Response:
    if kind not in FILE_TYPES:
        raise ServiceProblem(404, "No such file", [])
    answer = await request.app.state.backends.call(
        service, "GET", path, user, headers={"Accept": FILE_TYPES[kind]}
    )
    disposition = answer.headers.get("content-disposition", "attachment")
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", FILE_TYPES[kind]),
        headers={"Content-Disposition": disposition},
    )
