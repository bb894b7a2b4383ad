from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from console.main import create_app
from console.settings import ConsoleSettings
from servicekit.localkeys import ensure_local_keys


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The console on its own (no service behind it): pages that call no API."""
    ensure_local_keys(tmp_path / "keys")
    app = create_app(ConsoleSettings(var_dir=tmp_path, port_offset=40_000))
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://console"
        ) as client,
    ):
        yield client
