"""A local signing key and key set for `make run`, and minting tokens with it."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from servicekit.auth import Role
from servicekit.settings import SIGNING_KEY_FILE

JWKS_FILE = "jwks.json"


def ensure_local_keys(keys_dir: Path) -> Path:
    """Create the key pair once; return the path of the public key set."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    private_path, jwks_path = keys_dir / SIGNING_KEY_FILE, keys_dir / JWKS_FILE
    if private_path.exists() and jwks_path.exists():
        return jwks_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public_jwk.update({"kid": uuid.uuid4().hex[:16], "use": "sig", "alg": "RS256"})
    jwks_path.write_text(json.dumps({"keys": [public_jwk]}, indent=2))
    return jwks_path


def public_key_set(keys_dir: Path) -> Path:
    """The key set copied to a folder of its own (`keys_dir/public`), for a service in production
    mode: it refuses a key set with the private key beside it."""
    published = keys_dir / "public" / JWKS_FILE
    if not published.exists():
        published.parent.mkdir(exist_ok=True)
        shutil.copyfile(keys_dir / JWKS_FILE, published)
    return published


def mint_token(
    keys_dir: Path,
    *,
    role: Role,
    subject: str,
    issuer: str,
    audience: str,
    ttl_seconds: int = 3600,
) -> str:
    private_key = (keys_dir / SIGNING_KEY_FILE).read_bytes()
    kid = json.loads((keys_dir / JWKS_FILE).read_text())["keys"][0]["kid"]
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "role": role.value,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})
