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
    """The platform's token issuer; with OpenID Connect sign-in, its URL (discovery is read at
    `<issuer>/.well-known/openid-configuration`)."""
    auth_audience: str = LOCAL_AUDIENCE
    request_timeout_seconds: float = 10.0
    oidc_client_id: str | None = Field(
        default=None, validation_alias="MEDIPRIMA_CONSOLE_OIDC_CLIENT_ID"
    )
    """The console's client at the issuer: set, users sign in with OpenID Connect (always so in
    production); unset, local mode's sign-in page mints tokens with the local key."""
    oidc_client_secret: SecretStr | None = Field(
        default=None, validation_alias="MEDIPRIMA_CONSOLE_OIDC_CLIENT_SECRET"
    )
    oidc_scope: str = Field(default="openid", validation_alias="MEDIPRIMA_CONSOLE_OIDC_SCOPE")
    public_url: str | None = Field(default=None, validation_alias="MEDIPRIMA_CONSOLE_PUBLIC_URL")
    """The console's address as browsers reach it (the issuer sends them back to
    `<public_url>/sign-in/callback`); local mode: http://127.0.0.1:<port>."""

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> ConsoleSettings:
        self.port += self.port_offset
        if self.mode == "production":
            self._check_production()
        if self.oidc_client_id is not None:
            self._check_oidc()
        for name in SERVICE_PORTS:
            if name not in self.service_urls:
                port = SERVICE_PORTS[name] + self.port_offset
                self.service_urls[name] = f"http://127.0.0.1:{port}"
        if self.session_secret is None:
            self.session_secret = SecretStr(_local_session_secret(self.var_dir))
        if self.public_url is None:
            self.public_url = f"http://{self.host}:{self.port}"
        return self

    @property
    def signs_in_with_oidc(self) -> bool:
        return self.oidc_client_id is not None

    def _check_production(self) -> None:
        """Production never mints tokens, never guesses an address, never keeps a secret in a
        file of its own making: each must be given."""
        missing = [
            variable
            for variable, value in (
                ("MEDIPRIMA_CONSOLE_OIDC_CLIENT_ID", self.oidc_client_id),
                ("MEDIPRIMA_CONSOLE_SESSION_SECRET", self.session_secret),
                ("MEDIPRIMA_CONSOLE_PUBLIC_URL", self.public_url),
            )
            if value is None
        ]
        missing += [
            f"MEDIPRIMA_CONSOLE_SERVICE_URLS[{name}]"
            for name in SERVICE_PORTS
            if name not in self.service_urls
        ]
        if missing:
            raise ValueError(f"production needs {', '.join(missing)}")
        if not str(self.public_url).startswith("https://"):
            raise ValueError("production serves the console over https only (public URL)")

    def _check_oidc(self) -> None:
        if self.oidc_client_secret is None:
            raise ValueError("MEDIPRIMA_CONSOLE_OIDC_CLIENT_SECRET goes with the client id")
        if not self.auth_issuer.startswith(("https://", "http://")):
            raise ValueError("OpenID Connect sign-in needs MEDIPRIMA_AUTH_ISSUER as a URL")

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
