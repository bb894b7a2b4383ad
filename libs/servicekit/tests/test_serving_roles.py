"""An instance can serve the API alone (MEDIPRIMA_RUN_CONSUMERS/_RELAY/_BACKGROUND=false), as the
Kubernetes API Deployments do, while a workers instance runs the service's scheduled work."""

import asyncio
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from servicekit.db import Database
from servicekit.service import BackgroundSpec, ServiceDefinition, Work, create_app
from servicekit.settings import ServiceSettings
from servicekit.testing import TokenFactory


def definition_with_schedule(started: list[str]) -> ServiceDefinition:
    def build(settings: ServiceSettings, database: Database) -> Work:
        started.append(settings.service_name)

        async def work(stop: asyncio.Event) -> None:
            await stop.wait()

        return work

    return ServiceDefinition(
        name="roles",
        title="Roles",
        description="",
        settings_class=ServiceSettings,
        routers=[],
        migrations=Path("unused"),
        background=[BackgroundSpec(name="roles.schedule", build=build)],
    )


@pytest.mark.parametrize(
    ("overrides", "runs_schedule"),
    [
        ({}, True),
        ({"run_consumers": False, "run_relay": False, "run_background": False}, False),
    ],
    ids=["workers", "api-only"],
)
async def test_only_an_instance_with_background_work_runs_the_schedule(
    tmp_path: Path, tokens: TokenFactory, overrides: dict[str, bool], runs_schedule: bool
) -> None:
    started: list[str] = []
    settings = ServiceSettings(
        service_name="roles",
        var_dir=tmp_path,
        **tokens.settings_overrides(),
        **overrides,
    )
    app = create_app(definition_with_schedule(started), settings)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://r") as c,
    ):
        health = await c.get("/health")

    assert health.status_code == 200
    assert started == (["roles"] if runs_schedule else [])
