"""The console is served by `mediprima serve console` and left out of what only services have."""

from pathlib import Path

import pytest

from console.settings import ConsoleSettings
from servicekit.registry import (
    WebApp,
    load_service,
    load_web_app,
    service_names,
    web_app_names,
)


def test_the_console_is_a_web_app_beside_the_five_services() -> None:
    console = load_web_app("console")

    assert isinstance(console, WebApp)
    assert web_app_names() == ["console"]
    assert "console" not in service_names()  # no migrations, no Kafka ACLs
    assert len(service_names()) == 5


def test_its_settings_shift_its_port_and_the_services_ports_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIPRIMA_VAR_DIR", str(tmp_path))

    settings = load_web_app("console").settings(100)

    assert settings.port == 8106
    assert settings.service_urls["invoicing"] == "http://127.0.0.1:8104"
    assert (tmp_path / "console-session.key").exists()


def test_asking_for_it_as_a_service_names_every_known_name() -> None:
    with pytest.raises(LookupError, match="console"):
        load_service("consol")


def test_production_is_refused_until_openid_connect_sign_in(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="OpenID Connect"):
        ConsoleSettings(mode="production", var_dir=tmp_path)
