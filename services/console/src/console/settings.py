"""The console's settings, read once at start from `MEDIPRIMA_*` environment variables."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.settings import LOCAL_AUDIENCE, LOCAL_ISSUER

SERVICE_PORTS = {
    "decision-registry": 8001,
    "consultation": 8002,
    "tariffing": 8003,
    "invoicing": 8004,
    "settlement": 8005,
}
SESSION_KEY_FILE = "console-session.key"


class ConsoleSettings(BaseSettings):
    """Where the five services are, how users sign in, and the session cookie's key."""

    # Mode, host, var_dir, issuer and audience are the platform's (MEDIPRIMA_MODE, …); what is
    # the console's alone is read from MEDIPRIMA_CONSOLE_*.
    model_config = SettingsConfigDict(
        env_prefix="MEDIPRIMA_", extra="ignore", populate_by_name=True
    )

    mode: Literal["local", "production"] = "local"
    host: str = "127.0.0.1"
    port: int = Field(default=8006, validation_alias="MEDIPRIMA_CONSOLE_PORT")
    port_offset: int = Field(default=0, validation_alias="MEDIPRIMA_CONSOLE_PORT_OFFSET")
    """Added to the console's port and to the services' local ports (`make run` with an offset)."""
    var_dir: Path = Path(".var")
    service_urls: dict[str, str] = Field(
        default_factory=dict, validation_alias="MEDIPRIMA_CONSOLE_SERVICE_URLS"
    )
    """Base URL per service name; local mode fills in 127.0.0.1 and the `make run` ports."""
    session_secret: SecretStr | None = Field(
        default=None, validation_alias="MEDIPRIMA_CONSOLE_SESSION_SECRET"
    )
    """Signs the session cookie; local mode keeps one in var_dir, production must be given one."""
    auth_issuer: str = LOCAL_ISSUER
    auth_audience: str = LOCAL_AUDIENCE
    request_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> ConsoleSettings:
        self.port += self.port_offset
        missing = [name for name in SERVICE_PORTS if name not in self.service_urls]
        if self.mode == "production":
            # Production signs users in with OpenID Connect, which is not built yet: the
            # console must not run there on the local sign-in (README, "What is left").
            raise ValueError("the console runs in local mode only until OpenID Connect sign-in")
        for name in missing:
            port = SERVICE_PORTS[name] + self.port_offset
            self.service_urls[name] = f"http://127.0.0.1:{port}"
        if self.session_secret is None:
            self.session_secret = SecretStr(_local_session_secret(self.var_dir))
        return self

    @property
    def keys_dir(self) -> Path:
        """The local signing key `make run` made: local sign-in mints tokens with it."""
        return self.var_dir / "keys"


def read_settings(port_offset: int = 0) -> ConsoleSettings:
    return ConsoleSettings(port_offset=port_offset)


def _local_session_secret(var_dir: Path) -> str:
    path = var_dir / SESSION_KEY_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
