"""`mediprima`: run a service, migrate databases, mint tokens for trying the APIs, and check
and repair a running platform (status, prune, dead-letters)."""

from __future__ import annotations

import asyncio
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer

from servicekit.auth import Role
from servicekit.localkeys import ensure_local_keys, mint_token
from servicekit.settings import ServiceSettings

# The server, the app factory and Alembic are imported by the commands that use them: every
# command starts a process, and one that only runs a month's settlement need not load them.

app = typer.Typer(help="MediPrima platform commands.", no_args_is_help=True)


@app.command()
def serve(
    name: Annotated[str, typer.Argument(help="Service name, e.g. invoicing")],
    port_offset: Annotated[int, typer.Option(help="Added to the service's port")] = 0,
    migrate_first: Annotated[
        bool | None,
        typer.Option("--migrate/--no-migrate", help="Migrate first (default: in local mode)"),
    ] = None,
) -> None:
    """Run one service: API, consumers and outbox relay in one process (or the console)."""
    import uvicorn

    from servicekit.registry import load_service, load_web_app, web_app_names
    from servicekit.service import create_app

    if name in web_app_names():
        web_app = load_web_app(name)
        web_settings = web_app.settings(port_offset)
        uvicorn.run(
            web_app.create_app(web_settings),
            host=web_settings.host,
            port=web_settings.port,
            log_config=None,
            access_log=False,
        )
        return
    definition = load_service(name)
    settings = definition.settings_class()
    settings.port += port_offset
    if migrate_first if migrate_first is not None else settings.mode == "local":
        asyncio.run(_migrate(name))
    uvicorn.run(
        create_app(definition, settings),
        host=settings.host,
        port=settings.port,
        # Named, not "auto": a missing uvloop or httptools fails at start instead of quietly
        # serving at half the speed. One process: see "Serving" in the README.
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        # SIGTERM: stop listening, let requests in flight finish for up to this long, then stop
        # the consumers, relay and jobs (each finishes its step; `worker_stop_seconds`).
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )


@app.command()
def migrate(
    names: Annotated[list[str] | None, typer.Argument(help="Services; all when omitted")] = None,
) -> None:
    """Apply every service's Alembic migrations to its database."""
    from servicekit.registry import service_names

    for name in names or service_names():
        asyncio.run(_migrate(name))
        typer.echo(f"migrated {name}")


async def _migrate(name: str) -> None:
    from servicekit import migrations
    from servicekit.db import Database
    from servicekit.registry import load_service

    definition = load_service(name)
    settings = definition.settings_class()
    database = Database(settings.database_url)
    try:
        await migrations.upgrade(
            database.engine,
            definition.migrations,
            runtime_role=settings.database_runtime_role or None,
            append_only=definition.append_only,
        )
    finally:
        await database.dispose()


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="Caller role")],
    subject: Annotated[
        str, typer.Option(help="OCMW enterprise number, GP RIZIV number, or a name")
    ],
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds")] = 3600,
) -> None:
    """Mint a bearer token signed with the local key (local mode only)."""
    settings = ServiceSettings()
    if settings.mode != "local" or settings.auth_jwks_path is None:
        raise typer.BadParameter("tokens are minted here only in local mode")
    keys_dir = settings.auth_jwks_path.parent
    ensure_local_keys(keys_dir)
    typer.echo(
        mint_token(
            keys_dir,
            role=role,
            subject=subject,
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            ttl_seconds=ttl,
        )
    )


@app.command()
def keys(directory: Annotated[Path, typer.Option()] = Path(".var/keys")) -> None:
    """Create the local signing key and key set if missing."""
    typer.echo(ensure_local_keys(directory))


@app.command("kafka-acls")
def kafka_acls(
    apply: Annotated[bool, typer.Option(help="add them to the cluster")] = False,
    topic_prefix: Annotated[str, typer.Option()] = "",
) -> None:
    """Print each service's Kafka ACLs; --apply adds them, connecting as MEDIPRIMA_KAFKA_* says
    (a super user such as admin) to KAFKA_BOOTSTRAP_SERVERS."""
    from servicekit.bus.kafka_acls import create_acls, service_acls
    from servicekit.registry import load_service, service_names

    acls = [
        acl
        for name in service_names()
        for acl in service_acls(load_service(name), topic_prefix=topic_prefix)
    ]
    for acl in acls:
        typer.echo(acl)
    if apply:
        settings = ServiceSettings()
        asyncio.run(create_acls(settings.kafka_bootstrap_servers, settings.kafka_security, acls))


def _add_operator_commands() -> None:
    from servicekit import opscli
    from servicekit.deadletters import cli as dead_letters_cli

    app.command("status")(opscli.status)
    app.command("prune")(opscli.prune_command)
    app.add_typer(dead_letters_cli.app, name="dead-letters")


_add_operator_commands()
for _point in entry_points(group="mediprima.commands"):
    app.add_typer(_point.load(), name=_point.name)
