"""How a Kafka client proves who it is: SASL/SCRAM over plaintext or TLS, read from
`MEDIPRIMA_KAFKA_*` (e.g. MEDIPRIMA_KAFKA_SASL_USERNAME).

The password comes from MEDIPRIMA_KAFKA_SASL_PASSWORD or, better, a file named by
MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE (a mounted secret); it is a `SecretStr` so that no repr or
log line shows it. TLS is a setting, not code: `SASL_SSL` with MEDIPRIMA_KAFKA_SSL_CAFILE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from aiokafka.helpers import create_ssl_context
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]


class KafkaSecurity(BaseSettings):
    """PLAINTEXT (no authentication) unless a SASL protocol is set."""

    model_config = SettingsConfigDict(env_prefix="MEDIPRIMA_KAFKA_", extra="ignore")

    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = None
    ssl_cafile: Path | None = None
    """The CA that signed the brokers' certificates; the system's CAs when not given."""

    @model_validator(mode="after")
    def _complete(self) -> KafkaSecurity:
        if self.authenticated and not self.sasl_username:
            raise ValueError(f"{self.security_protocol} needs MEDIPRIMA_KAFKA_SASL_USERNAME")
        if self.authenticated and self.sasl_password is None and self.sasl_password_file is None:
            raise ValueError(
                f"{self.security_protocol} needs MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE "
                "(or MEDIPRIMA_KAFKA_SASL_PASSWORD)"
            )
        return self

    @property
    def authenticated(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def encrypted(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    def password(self) -> str:
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        assert self.sasl_password_file is not None
        return self.sasl_password_file.read_text().strip()

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's producer, consumer, admin and plain clients."""
        options: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.authenticated:
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.password(),
            }
        if self.encrypted:
            cafile = str(self.ssl_cafile) if self.ssl_cafile else None
            options["ssl_context"] = create_ssl_context(cafile=cafile)
        return options
