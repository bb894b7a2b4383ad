"""Turn CustomResourceDefinition YAML into the JSON Schemas kubeconform reads, offline.

    .venv/bin/python deploy/k8s/schemas/crd_to_schema.py CRD.yaml... [--out deploy/k8s/schemas]

Writes `<group>/<kind>_<version>.json` (kubeconform's layout for custom resources) from each
served version's `openAPIV3Schema`, strict like kubeconform's own openapi2jsonschema.py: an
object that lists its properties refuses any other (a misspelt field fails), unless the CRD keeps
unknown fields there (`x-kubernetes-preserve-unknown-fields`), and `x-kubernetes-int-or-string`
takes an integer or a string.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def strict(node: Any) -> Any:
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: strict(value) for key, value in node.items()}
    if node.pop("x-kubernetes-int-or-string", False):
        node.pop("type", None)
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if (
        "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        node["additionalProperties"] = False
    return node


def schemas(crd: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"].lower()
    for version in crd["spec"]["versions"]:
        if version.get("served"):
            schema = strict(version["schema"]["openAPIV3Schema"])
            metadata = schema.setdefault("properties", {}).setdefault("metadata", {})
            metadata.setdefault("type", "object")
            yield Path(group) / f"{kind}_{version['name']}.json", schema


def write_schemas(sources: list[Path], out: Path) -> list[Path]:
    """The schemas of every CRD in `sources`, written under `out`; the files written."""
    written = []
    for source in sources:
        for document in yaml.safe_load_all(source.read_text()):
            if document and document.get("kind") == "CustomResourceDefinition":
                for relative, schema in schemas(document):
                    target = out / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
                    written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crds", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    for target in write_schemas(args.crds, args.out):
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
