"""A decision's versions side by side: one row per field (fields empty in every version left
out), one column per version, and which fields changed from the version before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Bookkeeping that differs in every version and says nothing to a social worker.
LEFT_OUT = {"version", "published_at", "filed_at", "occurred_at"}


@dataclass(frozen=True)
class FieldRow:
    name: str
    values: list[str]
    changed: list[bool]

    @property
    def ever_changed(self) -> bool:
        return any(self.changed)


def side_by_side(versions: Sequence[dict[str, Any]]) -> list[FieldRow]:
    flat = [_flatten(version) for version in versions]
    names = sorted({name for fields in flat for name in fields} - LEFT_OUT)
    rows = []
    for name in names:
        values = [fields.get(name, "") for fields in flat]
        if not any(values):
            continue
        changed = [index > 0 and values[index] != values[index - 1] for index in range(len(values))]
        rows.append(FieldRow(name, values, changed))
    return rows


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat |= _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value, start=1):
            flat |= _flatten(item, f"{prefix}[{index}]")
        return flat
    if isinstance(value, list):
        return {prefix: ", ".join(str(item) for item in value)}
    return {prefix: "" if value is None else str(value)}
