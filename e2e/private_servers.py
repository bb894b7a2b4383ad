"""A PostgreSQL and a Kafka of a test's own (deploy/local scripts, in a directory of its own), for
tests that stop and start them: the shared servers of the suite are never touched."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servicekit.bus.kafka_security import KafkaSecurity

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = {"postgres": ROOT / "deploy/local/postgres.sh", "kafka": ROOT / "deploy/local/kafka.sh"}
# What the scripts would otherwise take from the suite's own environment.
_NOT_INHERITED = ("MEDIPRIMA_PG_PORT", "MEDIPRIMA_KAFKA_PORT", "MEDIPRIMA_KAFKA_CONTROLLER_PORT")


@dataclass(frozen=True)
class PrivateServers:
    directory: Path
    postgres_url: str
    """The superuser's URL of the cluster's `mediprima_test` database."""
    kafka_bootstrap_servers: str
    kafka_admin_password_file: Path

    def database_url(self, name: str) -> str:
        """One of the databases postgres.sh creates (e.g. `consultation`)."""
        return self.postgres_url.rsplit("/", 1)[0] + f"/{name}"

    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            security_protocol="SASL_PLAINTEXT",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username="admin",
            sasl_password=None,
            sasl_password_file=self.kafka_admin_password_file,
            ssl_cafile=None,
        )

    async def halt(self, server: str) -> None:
        """Stop the server, keeping its data (on a thread: the service under test runs on the
        event loop meanwhile)."""
        await asyncio.to_thread(_run, self.directory, server, "halt")

    async def resume(self, server: str) -> None:
        await asyncio.to_thread(_run, self.directory, server, "resume")


def _run(directory: Path, server: str, command: str) -> dict[str, str]:
    env = {
        **{key: value for key, value in os.environ.items() if key not in _NOT_INHERITED},
        "MEDIPRIMA_INFRA_DIR": str(directory),
    }
    done = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [str(SCRIPTS[server]), command], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{server} {command} failed: {done.stderr[-2000:]}")
    lines = (line.partition("=") for line in done.stdout.splitlines())
    return {key: value for key, sep, value in lines if sep}


@contextmanager
def private_servers(directory: Path) -> Iterator[PrivateServers]:
    """Both servers started in `directory`, stopped (by their recorded pids) at the end."""
    try:
        postgres = _run(directory, "postgres", "start")
        kafka = _run(directory, "kafka", "start")
        yield PrivateServers(
            directory=directory,
            postgres_url=postgres["MEDIPRIMA_TEST_POSTGRES_URL"],
            kafka_bootstrap_servers=kafka["KAFKA_BOOTSTRAP_SERVERS"],
            kafka_admin_password_file=Path(kafka["MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE"]),
        )
    finally:
        for server in SCRIPTS:
            _run(directory, server, "stop")
