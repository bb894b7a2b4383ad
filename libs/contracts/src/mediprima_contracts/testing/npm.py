"""A file of an npm package, for tests: packed once into a cache directory (the var dir's), so
that tools such as the AsyncAPI schema or axe-core are not kept in the repository."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path


def npm_package_file(package: str, member: str, cache_dir: Path) -> Path:
    """`member` (e.g. `package/axe.min.js`) of `package` (`name@version`), fetched by `npm pack`
    the first time."""
    target = cache_dir / package.replace("/", "_") / member
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        packed = subprocess.run(  # noqa: S603  a fixed package name and version
            ["npm", "pack", package, "--silent", "--pack-destination", str(cache_dir)],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        with tarfile.open(cache_dir / packed) as archive:
            found = archive.extractfile(member)
            assert found is not None, f"{member} not in {packed}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(found.read())
    return target
