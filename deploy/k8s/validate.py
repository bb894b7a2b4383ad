"""Render every Kustomize overlay and validate each manifest against its schema, offline.

    .venv/bin/python deploy/k8s/validate.py [FILE.yaml...]

Kubernetes' own kinds are checked against the JSON Schemas the `kubernetes-validate` package
ships (made standalone here, in .var/kubeconform), CloudNativePG's against schemas made here from
the CRDs of its release's Go module (from the Go module proxy, like kubeconform itself), and
Strimzi's against the schemas committed in deploy/k8s/schemas (schemas/README.md says why and
from which CRDs); kubeconform runs
strict (an unknown field fails) and without a schema a kind fails too. Files given on the command
line are validated as they are, without rendering. Before trusting a pass, the check proves it
can fail: every manifest in deploy/k8s/invalid must be refused.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import kubernetes_validate

K8S = Path(__file__).resolve().parent
ROOT = K8S.parents[1]
KUBERNETES_VERSION = "1.32.0"
OVERLAYS = sorted(path.parent for path in (K8S / "overlays").glob("*/kustomization.yaml"))
VAR = Path(os.environ.get("MEDIPRIMA_VAR_DIR", ROOT / ".var"))
BIN = VAR / "bin"
SCHEMAS = VAR / "kubeconform" / f"v{KUBERNETES_VERSION}-{version('kubernetes-validate')}"
DEFINITIONS_REF = "/api/_definitions.json#"
CNPG_MODULE = "github.com/cloudnative-pg/cloudnative-pg@v1.30.1"
CNPG_CRDS = ("postgresql.cnpg.io_clusters.yaml", "postgresql.cnpg.io_scheduledbackups.yaml")
CNPG_SCHEMAS = VAR / "kubeconform" / f"cnpg-{CNPG_MODULE.rsplit('@', 1)[1]}"


def standalone_kubernetes_schemas() -> Path:
    """kubernetes-validate's schemas point into one shared `_definitions.json`, which
    kubeconform cannot follow: give each kind its definitions inline."""
    source = (
        Path(kubernetes_validate.__file__).parent
        / "kubernetes-json-schema"
        / f"v{KUBERNETES_VERSION}-local-strict"
    )
    marker = SCHEMAS / ".complete"
    if marker.exists():
        return SCHEMAS
    definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.json"):
        if path.name.startswith("_"):
            continue
        schema = json.loads(path.read_text().replace(DEFINITIONS_REF, "#"))
        schema["$defs"] = {name: definitions[name] for name in _reachable(schema, definitions)}
        (SCHEMAS / path.name).write_text(json.dumps(schema))
    marker.touch()
    return SCHEMAS


def _reachable(schema: Any, definitions: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else ""
            if name and name != ref and name not in found:
                found.add(name)
                pending.append(definitions[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def cloudnative_pg_schemas() -> Path:
    """CloudNativePG's CRDs from its release's Go module (`go mod download`, which keeps the
    module in Go's own cache), made kubeconform schemas once into the var dir."""
    marker = CNPG_SCHEMAS / ".complete"
    if marker.exists():
        return CNPG_SCHEMAS
    downloaded = subprocess.run(  # noqa: S603 (a fixed module)
        ["go", "mod", "download", "-json", CNPG_MODULE],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    bases = Path(json.loads(downloaded.stdout)["Dir"]) / "config" / "crd" / "bases"
    _crd_to_schema().write_schemas([bases / name for name in CNPG_CRDS], CNPG_SCHEMAS)
    marker.touch()
    return CNPG_SCHEMAS


def _crd_to_schema() -> Any:
    spec = importlib.util.spec_from_file_location("crd_to_schema", K8S / "schemas/crd_to_schema.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kustomize(overlay: Path) -> str:
    standalone = BIN / "kustomize"
    command = [str(standalone), "build"] if standalone.exists() else ["kubectl", "kustomize"]
    return subprocess.run(  # noqa: S603 (our tools, our paths)
        [*command, str(overlay)], check=True, capture_output=True, text=True
    ).stdout


def kubeconform(files: list[Path]) -> subprocess.CompletedProcess[str]:
    operators = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
    locations = [
        f"{standalone_kubernetes_schemas()}/{{{{.ResourceKind}}}}{{{{.KindSuffix}}}}.json",
        f"{K8S / 'schemas'}/{operators}",
        f"{cloudnative_pg_schemas()}/{operators}",
    ]
    command = [str(BIN / "kubeconform"), "-strict", "-summary"]
    command += ["-kubernetes-version", KUBERNETES_VERSION]
    for location in locations:
        command += ["-schema-location", location]
    return subprocess.run(  # noqa: S603 (our tools, our paths)
        [*command, *map(str, files)], capture_output=True, text=True
    )


def proves_it_can_fail() -> list[str]:
    """Each known-bad manifest must be refused, or a pass means nothing."""
    accepted = []
    for bad in sorted((K8S / "invalid").glob("*.yaml")):
        if kubeconform([bad]).returncode == 0:
            accepted.append(f"{bad.relative_to(ROOT)} was accepted but is invalid")
    return accepted


def main(argv: list[str]) -> int:
    if not (BIN / "kubeconform").exists():
        print(f"no kubeconform in {BIN}: run deploy/k8s/tools.sh", file=sys.stderr)
        return 2
    failures = proves_it_can_fail()
    with tempfile.TemporaryDirectory() as scratch:
        files = [Path(arg) for arg in argv]
        if not files:
            for overlay in OVERLAYS:
                rendered = Path(scratch) / f"{overlay.name}.yaml"
                rendered.write_text(kustomize(overlay))
                files.append(rendered)
        result = kubeconform(files)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if result.returncode or failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
