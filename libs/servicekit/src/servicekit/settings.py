"""Settings shared by every service, read once at start from `MEDIPRIMA_*` environment variables."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.bus.kafka_security import KafkaSecurity

LOCAL_ISSUER = "mediprima-local-issuer"
LOCAL_AUDIENCE = "mediprima-local"
SIGNING_KEY_FILE = "signing-key.pem"


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses it to set its name, port and database default."""

    model_config = SettingsConfigDict(env_prefix="MEDIPRIMA_", extra="ignore")

    service_name: str = "service"
    mode: Literal["local", "production"] = "local"
    host: str = "127.0.0.1"
    port: int = 8000
    var_dir: Path = Path(".var")
    database_url: str = ""
    database_runtime_role: str = ""
    """PostgreSQL: the role the service runs as, when `database_url` is the owner's and this
    process migrates; each migration ends by granting that role row rights only
    (servicekit.dbroles)."""
    bus: Literal["sql", "kafka"] = "sql"
    bus_url: str = ""
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices(
            "MEDIPRIMA_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
    )
    kafka_security: KafkaSecurity = Field(default_factory=KafkaSecurity)
    """SASL/SCRAM and TLS from MEDIPRIMA_KAFKA_* (servicekit.bus.kafka_security)."""
    topic_partitions: int = 3
    topic_prefix: str = ""
    auth_jwks_path: Path | None = None
    auth_jwks_url: str | None = None
    """The issuer's key set (JWKS) URL; production verifies tokens against it or a key file."""
    auth_issuer: str = LOCAL_ISSUER
    auth_audience: str = LOCAL_AUDIENCE
    run_consumers: bool = True
    run_relay: bool = True
    run_background: bool = True
    """The service's scheduled work (e.g. payment runs). With consumers and relay off too, an
    instance serves the API only (the Kubernetes API Deployments, deploy/k8s)."""
    log_level: str = "INFO"
    max_body_bytes: int = 1024 * 1024
    """The largest request body a route takes unless its service names another limit."""
    rate_limits: bool = True
    """Rate limits on the routes that read or take a person's data (servicekit.ratelimits)."""
    rate_limit_per_caller: str = "600/minute"
    rate_limit_per_address: str = "3000/minute"
    bad_tokens_per_address: str = "30/minute"
    retention: bool = True
    """Delete old outbox, inbox, dead-letter and event-log rows on a schedule
    (servicekit.retention); windows as ISO 8601 durations (`P7D`) or seconds."""
    retention_schedule: str = "17 3 * * *"
    outbox_retention: timedelta = timedelta(days=7)
    """A published outbox row is kept this long; a parked one until an operator acts."""
    inbox_retention: timedelta = timedelta(days=30)
    """An inbox entry is kept this long: longer than any redelivery can come late."""
    dead_letter_retention: timedelta = timedelta(days=90)
    """A replayed dead letter is kept this long; a waiting one until it is replayed."""
    event_log_retention: timedelta = timedelta(days=7)
    """An SQL event-log record is kept this long, and always until every group read it."""
    # Resilience (docs/operations.md#resilience): what a process takes on, how long it waits for
    # its database, what it tells clients to wait, and how long it takes to stop.
    max_concurrent_requests: int = 128
    """Requests a process works on at once (0: no limit); the others queue."""
    max_queued_requests: int = 512
    """Requests waiting for a place; past it the answer is 503 at once."""
    request_queue_seconds: float = 5.0
    """How long a queued request waits for a place before it is answered 503."""
    overload_retry_after_seconds: int = 1
    outage_retry_after_seconds: int = 5
    database_pool_size: int = 5
    database_max_overflow: int = 10
    database_pool_timeout_seconds: float = 10.0
    """How long a transaction waits for a pooled PostgreSQL connection before it gives up (503)."""
    database_connect_timeout_seconds: float = 5.0
    database_busy_timeout_ms: int = 30_000
    """How long an SQLite write waits for the file's write lock before it gives up (503)."""
    shutdown_grace_seconds: float = 15.0
    """On SIGTERM: how long requests in flight may take to finish before they are cut."""
    worker_stop_seconds: float = 10.0
    """On stop: how long consumers, relay and jobs may take to finish their step."""
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "MEDIPRIMA_OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"
        ),
    )
    """Where OpenTelemetry traces go (OTLP/HTTP); unset, tracing is off (servicekit.tracing)."""

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> ServiceSettings:
        if not self.database_url:
            if self.mode != "local":
                raise ValueError("MEDIPRIMA_DATABASE_URL is required outside local mode")
            db_file = self.var_dir / f"{self.service_name.replace('-', '_')}.db"
            self.database_url = f"sqlite+aiosqlite:///{db_file}"
        if not self.bus_url:
            self.bus_url = f"sqlite+aiosqlite:///{self.var_dir / 'bus.db'}"
        if self.mode == "production":
            self._refuse_local_trust()
            if self.bus == "kafka" and not self.kafka_security.authenticated:
                raise ValueError(
                    "production refuses Kafka without authentication: set "
                    "MEDIPRIMA_KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT) and the "
                    "service's MEDIPRIMA_KAFKA_SASL_USERNAME and _PASSWORD_FILE"
                )
        elif self.auth_jwks_path is None and self.auth_jwks_url is None:
            self.auth_jwks_path = self.var_dir / "keys" / "jwks.json"
        return self

    def _refuse_local_trust(self) -> None:
        """Production trusts only the real issuer: no local issuer or audience, no key set of
        its own making, no private key within reach."""
        if self.auth_jwks_path is None and self.auth_jwks_url is None:
            raise ValueError(
                "production needs MEDIPRIMA_AUTH_JWKS_URL (or MEDIPRIMA_AUTH_JWKS_PATH)"
            )
        if self.auth_issuer == LOCAL_ISSUER or self.auth_audience == LOCAL_AUDIENCE:
            raise ValueError(
                "production refuses the local issuer and audience: set MEDIPRIMA_AUTH_ISSUER "
                "and MEDIPRIMA_AUTH_AUDIENCE"
            )
        if self.auth_jwks_path is not None and (
            (self.auth_jwks_path.parent / SIGNING_KEY_FILE).exists()
        ):
            raise ValueError(
                f"a private signing key lies beside {self.auth_jwks_path}: a service must see "
                "the public key set only"
            )
