"""Bearer tokens signed with a key set made for the run, the one the services verify against."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from servicekit.auth import Role
from servicekit.localkeys import JWKS_FILE, ensure_local_keys, mint_token

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
        """The public key set alone in its folder: production mode refuses a key set with the
        private key beside it."""
        public = self.keys_dir / "public"
        public.mkdir(exist_ok=True)
        published = public / JWKS_FILE
        if not published.exists():
            shutil.copyfile(self.keys_dir / JWKS_FILE, published)
        return published

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
