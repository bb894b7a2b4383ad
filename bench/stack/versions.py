"""Versions of the servers a run used, for its results file."""

from __future__ import annotations

import os
import re

import asyncpg
from sqlalchemy.engine import make_url

from bench.paths import ROOT
from servicekit.testing import POSTGRES_ENV


async def postgres_version() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return None
    dsn = make_url(url).set(drivername="postgresql")
    connection = await asyncpg.connect(dsn.render_as_string(False))
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def kafka_version() -> str:
    """The version deploy/local/kafka.sh provisions (Kafka's protocol does not name it)."""
    script = (ROOT / "deploy" / "local" / "kafka.sh").read_text()
    found = re.search(r"^KAFKA_VERSION=(\S+)", script, re.MULTILINE)
    return f"{found.group(1)} (KRaft, one node)" if found else "unknown"
