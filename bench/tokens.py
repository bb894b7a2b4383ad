"""Bearer tokens signed with a key set made for the run, the one the services verify against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from servicekit.auth import Role
from servicekit.localkeys import ensure_local_keys, mint_token, public_key_set

ISSUER = "mediprima-bench"
AUDIENCE = "mediprima"
LIFETIME_SECONDS = 4 * 3600  # longer than any run


@dataclass(frozen=True)
class Tokens:
    keys_dir: Path

    @classmethod
    def create(cls, keys_dir: Path) -> Tokens:
        ensure_local_keys(keys_dir)
        return cls(keys_dir)

    @property
    def jwks_path(self) -> Path:
        return public_key_set(self.keys_dir)

    def token(self, role: Role, subject: str) -> str:
        return mint_token(
            self.keys_dir,
            role=role,
            subject=subject,
            issuer=ISSUER,
            audience=AUDIENCE,
            ttl_seconds=LIFETIME_SECONDS,
        )

    def headers(self, role: Role, subject: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, subject)}"}

    def service_env(self) -> dict[str, str]:
        return {
            "MEDIPRIMA_AUTH_JWKS_PATH": str(self.jwks_path),
            "MEDIPRIMA_AUTH_ISSUER": ISSUER,
            "MEDIPRIMA_AUTH_AUDIENCE": AUDIENCE,
        }
