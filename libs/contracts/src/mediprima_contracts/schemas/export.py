"""The JSON Schema of every event version, as committed under `libs/contracts/schemas/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediprima_contracts.envelope import EventData, envelope_type
from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.compatibility import Incompatibility, find_incompatibilities

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"
EXPORT_COMMAND = "uv run python -m mediprima_contracts.schemas export"


def event_schema(event: type[EventData]) -> dict[str, Any]:
    """The full envelope carrying `event`, with its type and version fixed."""
    schema = envelope_type(event).model_json_schema()
    properties = schema["properties"]
    properties["type"]["const"] = event.event_type
    properties["version"]["const"] = event.event_version
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-topic": event.topic,
        "x-subject": f"data.{event.subject_field}",
        **schema,
    }


def schema_path(event: type[EventData], directory: Path = SCHEMA_DIR) -> Path:
    return directory / event.event_type / f"v{event.event_version}.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class SchemaStatus:
    """How an event version's current schema relates to its committed file."""

    event: type[EventData]
    path: Path
    committed: bool
    up_to_date: bool
    incompatibilities: list[Incompatibility]

    @property
    def name(self) -> str:
        return f"{self.event.__name__} ({self.event.event_type} v{self.event.event_version})"


def status(event: type[EventData], directory: Path = SCHEMA_DIR) -> SchemaStatus:
    path = schema_path(event, directory)
    current = event_schema(event)
    if not path.exists():
        return SchemaStatus(event, path, committed=False, up_to_date=False, incompatibilities=[])
    committed = load(path)
    return SchemaStatus(
        event,
        path,
        committed=True,
        up_to_date=committed == current,
        incompatibilities=find_incompatibilities(committed, current),
    )


def export(*, directory: Path = SCHEMA_DIR, allow_breaking: bool = False) -> list[SchemaStatus]:
    """Write every event version's schema; refuse breaking changes unless allowed.

    Returns the statuses found before writing; files with incompatibilities are left untouched
    unless `allow_breaking` (for a version not yet published anywhere).
    """
    statuses = [status(event, directory) for event in EVENT_CLASSES]
    for found in statuses:
        if found.up_to_date or (found.incompatibilities and not allow_breaking):
            continue
        found.path.parent.mkdir(parents=True, exist_ok=True)
        found.path.write_text(render(event_schema(found.event)), encoding="utf-8")
    return statuses


def committed_schema_files(directory: Path = SCHEMA_DIR) -> list[Path]:
    return sorted(directory.glob("*/v*.json"))
