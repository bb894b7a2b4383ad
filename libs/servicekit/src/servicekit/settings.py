"""Settings shared by every service, read once at start from `MEDIPRIMA_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses it to set its name, port and database default."""

    model_config = SettingsConfigDict(env_prefix="MEDIPRIMA_", extra="ignore")

    service_name: str = "service"
    mode: Literal["local", "production"] = "local"
    host: str = "127.0.0.1"
    port: int = 8000
    var_dir: Path = Path(".var")
    database_url: str = ""
    bus: Literal["sql", "kafka"] = "sql"
    bus_url: str = ""
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices(
            "MEDIPRIMA_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
    )
    topic_partitions: int = 3
    topic_prefix: str = ""
    auth_jwks_path: Path | None = None
    auth_issuer: str = "mediprima-local-issuer"
    auth_audience: str = "mediprima"
    run_consumers: bool = True
    run_relay: bool = True
    log_level: str = "INFO"
    max_body_bytes: int = 1024 * 1024
    rate_limits: bool = True
    """Rate limits on the routes that read or take a person's data (servicekit.ratelimits)."""
    rate_limit_per_caller: str = "600/minute"
    rate_limit_per_address: str = "3000/minute"
    bad_tokens_per_address: str = "30/minute"
    """The largest request body a route takes unless its service names another limit."""

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> ServiceSettings:
        if not self.database_url:
            if self.mode != "local":
                raise ValueError("MEDIPRIMA_DATABASE_URL is required outside local mode")
            db_file = self.var_dir / f"{self.service_name.replace('-', '_')}.db"
            self.database_url = f"sqlite+aiosqlite:///{db_file}"
        if not self.bus_url:
            self.bus_url = f"sqlite+aiosqlite:///{self.var_dir / 'bus.db'}"
        if self.auth_jwks_path is None:
            if self.mode != "local":
                raise ValueError("MEDIPRIMA_AUTH_JWKS_PATH is required outside local mode")
            self.auth_jwks_path = self.var_dir / "keys" / "jwks.json"
        return self
