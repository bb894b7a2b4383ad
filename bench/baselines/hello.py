"""The framework's ceiling: FastAPI answering a constant, under uvicorn with the settings
`mediprima serve` gives every service (one process, uvloop, httptools, no access log).

usage: python -m bench.baselines.hello --port N
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/consultations")
@app.post("/v1/decisions")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ready"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
