"""The AsyncAPI 3 document: every topic and event version, valid against the AsyncAPI 3.0.0
JSON Schema (from the @asyncapi/specs package on npm), every reference resolving, and the
committed file the one the contracts give."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mediprima_contracts.asyncapi import DOCUMENT_PATH, asyncapi_document, render
from mediprima_contracts.asyncapi import __main__ as command
from mediprima_contracts.events.topics import ALL_TOPICS
from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.export import event_schema
from mediprima_contracts.testing.npm import npm_package_file

SPECS_PACKAGE = "@asyncapi/specs@6.11.1"
SPEC_MEMBER = "package/schemas/3.0.0-without-$id.json"


@cache
def asyncapi_spec() -> Any:
    """The official AsyncAPI 3.0.0 JSON Schema, taken once from npm into the var dir (as
    deploy/local/kafka.sh takes Kafka from Maven Central), not kept in the repository."""
    root = Path(__file__).resolve().parents[3]
    cache_dir = Path(os.environ.get("MEDIPRIMA_VAR_DIR", root / ".var")) / "cache" / "npm"
    return json.loads(npm_package_file(SPECS_PACKAGE, SPEC_MEMBER, cache_dir).read_text())


def asyncapi_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(asyncapi_spec())
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in refs(item)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_document_is_valid_asyncapi_3() -> None:
    assert asyncapi_errors(asyncapi_document()) == []


def test_the_validation_refuses_what_asyncapi_3_does_not_allow() -> None:
    broken = json.loads(render())
    broken["operations"]["send.mediprima.invoices"]["action"] = "publish"  # AsyncAPI 2's verb

    assert asyncapi_errors(broken) != []


def test_every_reference_points_into_the_document() -> None:
    document = asyncapi_document()

    for ref in refs(document):
        assert ref.startswith("#/")
        assert resolve(document, ref) is not None


def test_every_topic_is_a_channel_with_a_message_per_event_version() -> None:
    document = asyncapi_document()

    assert {channel["address"] for channel in document["channels"].values()} == set(ALL_TOPICS)
    for event in EVENT_CLASSES:
        key = f"{event.event_type}.v{event.event_version}"
        assert key in document["channels"][event.topic]["messages"]
        payload = resolve(document, document["components"]["messages"][key]["payload"]["$ref"])
        assert payload["properties"]["type"]["const"] == event.event_type
        assert payload["properties"]["version"]["const"] == event.event_version
        assert set(payload["required"]) == set(event_schema(event)["required"])


def test_the_committed_document_is_up_to_date() -> None:
    assert DOCUMENT_PATH.read_text(encoding="utf-8") == render()


def test_check_fails_on_a_stale_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "asyncapi.json"
    stale.write_text(render().replace("MediPrima events", "Old events"), encoding="utf-8")
    monkeypatch.setattr(command, "DOCUMENT_PATH", stale)

    assert command.main(["check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert command.main(["export"]) == 0
    assert command.main(["check"]) == 0
