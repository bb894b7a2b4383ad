"""Every event version's current schema against its committed file in libs/contracts/schemas/."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediprima_contracts.envelope import EventData
from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.__main__ import main
from mediprima_contracts.schemas.export import (
    EXPORT_COMMAND,
    SCHEMA_DIR,
    committed_schema_files,
    load,
    render,
    schema_path,
    status,
)


@pytest.mark.parametrize("event", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_event_version_has_a_committed_schema(event: type[EventData]) -> None:
    found = status(event)
    assert found.committed, f"{found.name} has no committed schema: run `{EXPORT_COMMAND}`"


@pytest.mark.parametrize("event", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_the_current_schema_is_backward_compatible_with_the_committed_one(
    event: type[EventData],
) -> None:
    found = status(event)
    issues = "\n".join(f"  - {issue}" for issue in found.incompatibilities)
    assert not found.incompatibilities, (
        f"{found.name} changed incompatibly; publish a new event version instead:\n{issues}"
    )


@pytest.mark.parametrize("event", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_the_committed_schema_is_up_to_date(event: type[EventData]) -> None:
    found = status(event)
    # An incompatible difference is reported by the test above; this one is about the rest.
    assert found.up_to_date or found.incompatibilities, (
        f"{found.name} changed compatibly: run `{EXPORT_COMMAND}` and commit the schema"
    )


def test_every_committed_schema_belongs_to_a_registered_event_version() -> None:
    registered = {schema_path(event) for event in EVENT_CLASSES}
    orphans = [path for path in committed_schema_files() if path not in registered]
    assert not orphans, f"schemas of event versions no longer registered: {orphans}"
    assert SCHEMA_DIR.is_dir()


def test_export_writes_every_schema_into_an_empty_directory(tmp_path: Path) -> None:
    assert main(["export", "--dir", str(tmp_path)]) == 0
    assert len(committed_schema_files(tmp_path)) == len(EVENT_CLASSES)
    assert main(["check", "--dir", str(tmp_path)]) == 0


def test_export_refuses_to_overwrite_an_incompatible_change(tmp_path: Path) -> None:
    event = EVENT_CLASSES[0]
    main(["export", "--dir", str(tmp_path)])
    path = schema_path(event, tmp_path)
    published = load(path)
    published["$defs"][event.__name__]["properties"]["field_since_removed"] = {"type": "string"}
    path.write_text(render(published), encoding="utf-8")

    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert main(["export", "--dir", str(tmp_path)]) == 1
    assert load(path) == published
    assert main(["export", "--dir", str(tmp_path), "--allow-breaking"]) == 0
    assert load(path) != published
