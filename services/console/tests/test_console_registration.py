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


PRODUCTION = {
    "mode": "production",
    "auth_issuer": "https://login.mediprima.example/realms/mediprima",
    "oidc_client_id": "mediprima-console",
    "oidc_client_secret": "s3cret",
    "session_secret": "another-s3cret",
    "public_url": "https://console.mediprima.example",
    "service_urls": {
        name: f"http://{name}.mediprima.svc:8000"
        for name in ("decision-registry", "consultation", "tariffing", "invoicing", "settlement")
    },
}


def test_production_signs_in_with_openid_connect_only(tmp_path: Path) -> None:
    settings = ConsoleSettings(var_dir=tmp_path, **PRODUCTION)

    assert settings.signs_in_with_oidc
    assert not (tmp_path / "console-session.key").exists()  # the secret given, none made


@pytest.mark.parametrize(
    ("left_out", "named"),
    [
        ("oidc_client_id", "MEDIPRIMA_CONSOLE_OIDC_CLIENT_ID"),
        ("session_secret", "MEDIPRIMA_CONSOLE_SESSION_SECRET"),
        ("public_url", "MEDIPRIMA_CONSOLE_PUBLIC_URL"),
        ("service_urls", "MEDIPRIMA_CONSOLE_SERVICE_URLS\\[decision-registry\\]"),
    ],
)
def test_production_refuses_to_start_without_what_it_must_be_given(
    tmp_path: Path, left_out: str, named: str
) -> None:
    given = {key: value for key, value in PRODUCTION.items() if key != left_out}
    with pytest.raises(ValueError, match=named):
        ConsoleSettings(var_dir=tmp_path, **given)


def test_production_serves_the_console_over_https_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https"):
        ConsoleSettings(var_dir=tmp_path, **{**PRODUCTION, "public_url": "http://console.example"})


def test_openid_connect_needs_the_clients_secret_and_an_issuer_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CLIENT_SECRET"):
        ConsoleSettings(var_dir=tmp_path, oidc_client_id="mediprima-console")
    with pytest.raises(ValueError, match="MEDIPRIMA_AUTH_ISSUER"):
        ConsoleSettings(
            var_dir=tmp_path, oidc_client_id="mediprima-console", oidc_client_secret="s"
        )
