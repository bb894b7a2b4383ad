"""The lean floor: the leanest endpoint shaped like `POST /v1/consultations` that this stack
allows, to measure what the framework, the driver and the database cost together. FastAPI +
asyncpg + orjson; an RS256 token check (pyjwt, the run's key set), one indexed read of the
person's decision, one transaction writing the consultation and its outbox row. No ORM, no
validation models, no middleware. Its tables are made by `bench.baselines.lean_floor_db`.

usage: python -m bench.baselines.lean_floor --port N --dsn postgresql://… --jwks FILE
           --issuer ISS --audience AUD
"""

from __future__ import annotations

import argparse
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import jwt
import orjson
import uvicorn
from fastapi import FastAPI, Request, Response

POOL_SIZE = 16
READ = "SELECT snapshot FROM decision_versions WHERE ssin = $1"
INSERT_CONSULTATION = (
    "INSERT INTO consultations (consultation_id, provider, ssin, care_date, answer, consulted_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)"
)
INSERT_OUTBOX = (
    "INSERT INTO outbox (event_id, topic, key, payload, created_at) VALUES ($1, $2, $3, $4, $5)"
)


def create_app(*, dsn: str, jwks: Path, issuer: str, audience: str) -> FastAPI:
    keys = {
        key.key_id: key.key for key in jwt.PyJWKSet.from_dict(json.loads(jwks.read_text())).keys
    }

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/ready")
    async def ready() -> Response:
        return Response(b'{"status":"ready"}', media_type="application/json")

    @app.post("/v1/consultations")
    async def consult(request: Request) -> Response:
        provider = _gp(request, keys, issuer=issuer, audience=audience)
        if provider is None:
            return Response(b'{"title":"Unauthorized"}', status_code=401)
        question = orjson.loads(await request.body())
        ssin, care_date = question["ssin"], date.fromisoformat(question["date"])
        async with request.app.state.pool.acquire() as connection:
            snapshot = await connection.fetchval(READ, ssin)
            answer = _answer(orjson.loads(snapshot) if snapshot else None, care_date)
            body = orjson.dumps(answer)
            now = datetime.now(UTC)
            async with connection.transaction():
                await connection.execute(
                    INSERT_CONSULTATION,
                    answer["consultation_id"],
                    provider,
                    ssin,
                    care_date,
                    body.decode(),
                    now,
                )
                await connection.execute(
                    INSERT_OUTBOX, uuid.uuid4(), "mediprima.consultations", ssin, body.decode(), now
                )
        return Response(body, status_code=201, media_type="application/json")

    return app


def _gp(request: Request, keys: dict[str | None, Any], *, issuer: str, audience: str) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        claims = jwt.decode(
            token, key=keys[kid], algorithms=["RS256"], issuer=issuer, audience=audience
        )
    except (jwt.PyJWTError, KeyError):
        return None
    return str(claims["sub"]) if claims.get("role") == "gp" else None


def _answer(snapshot: dict[str, Any] | None, care_date: date) -> dict[str, Any]:
    day = care_date.isoformat()
    covered = (
        snapshot is not None and snapshot["period"]["start"] <= day <= snapshot["period"]["end"]
    )
    answer: dict[str, Any] = {"consultation_id": str(uuid.uuid4()), "covered": covered}
    if snapshot and covered:
        answer |= {
            "decision_number": snapshot["decision_number"],
            "version": snapshot["version"],
            "ocmw": snapshot["ocmw"],
            "coverages": snapshot["coverages"],
            "agreement_number": f"{secrets.randbelow(10**12):012d}",
            "agreement_valid_until": (care_date + timedelta(days=30)).isoformat(),
        }
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--jwks", type=Path, required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--audience", required=True)
    args = parser.parse_args()
    app = create_app(dsn=args.dsn, jwks=args.jwks, issuer=args.issuer, audience=args.audience)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
