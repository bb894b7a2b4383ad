"""The chaos run's own Kafka broker and PostgreSQL server, which it restarts: started with
deploy/local/kafka.sh and postgres.sh in a run directory of its own, never the servers a test
suite or another run shares, and stopped (data removed) at the end."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from servicekit.testing import KAFKA_CREDENTIALS_ENV, KAFKA_ENV, POSTGRES_ENV

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "deploy" / "local"

# What kafka.sh / postgres.sh print; the chaos run's processes use these, nothing inherited.
KAFKA_KEYS = (
    KAFKA_ENV,
    "MEDIPRIMA_KAFKA_SECURITY_PROTOCOL",
    "MEDIPRIMA_KAFKA_SASL_MECHANISM",
    "MEDIPRIMA_KAFKA_SASL_USERNAME",
    "MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE",
    KAFKA_CREDENTIALS_ENV,
)
INHERITED_INFRA = (*KAFKA_KEYS, POSTGRES_ENV, "MEDIPRIMA_KAFKA_PORT", "MEDIPRIMA_PG_PORT")


class InfraError(RuntimeError):
    """A start or restart script failed; the message carries its output."""


@dataclass(frozen=True)
class Infra:
    run_dir: Path
    env: dict[str, str]
    """KAFKA_BOOTSTRAP_SERVERS, the admin's SASL settings, the credentials directory and
    MEDIPRIMA_TEST_POSTGRES_URL (an admin URL) of the run's own servers."""

    @property
    def kafka_bootstrap_servers(self) -> str:
        return self.env[KAFKA_ENV]

    async def restart_kafka(self) -> float:
        return await _script(self.run_dir, "kafka.sh", "restart")

    async def restart_postgres(self) -> float:
        return await _script(self.run_dir, "postgres.sh", "restart")


@asynccontextmanager
async def private_infra(run_dir: Path) -> AsyncIterator[Infra]:
    """Both servers started in `run_dir`, their settings exported to this process (the bench's
    setup code reads them from the environment), both stopped when the block ends."""
    run_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before the servers
    for key in INHERITED_INFRA:
        os.environ.pop(key, None)
    try:
        outputs = await asyncio.gather(_start(run_dir, "postgres.sh"), _start(run_dir, "kafka.sh"))
        env = {k: v for output in outputs for k, v in _assignments(output).items()}
        os.environ.update(env)
        yield Infra(run_dir=run_dir, env=env)
    finally:
        await asyncio.gather(
            _script(run_dir, "kafka.sh", "stop", check=False),
            _script(run_dir, "postgres.sh", "stop", check=False),
        )


async def _start(run_dir: Path, script: str) -> str:
    output = run_dir / f"{script}.start.out"
    await _script(run_dir, script, "start", stdout=output)
    return output.read_text()


async def _script(
    run_dir: Path, script: str, command: str, *, stdout: Path | None = None, check: bool = True
) -> float:
    """Seconds the script took; its stderr goes to `<script>.log` in the run directory."""
    env = {**os.environ, "MEDIPRIMA_INFRA_DIR": str(run_dir)}
    loop = asyncio.get_running_loop()
    started = loop.time()
    log = run_dir / f"{script}.log"
    with log.open("ab") as err, (stdout or Path(os.devnull)).open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            str(SCRIPTS / script), command, env=env, stdout=out, stderr=err
        )
        code = await process.wait()
    if check and code != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise InfraError(f"{script} {command} exited with {code}:\n{tail}")
    return loop.time() - started


def _assignments(output: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
