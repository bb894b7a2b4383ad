"""Does a new JSON Schema still accept everything the old one did, field by field?

A pure function over two JSON Schema documents (as pydantic exports them: `$defs` and local
`$ref`s, `anyOf` for optional values). It reports what would break a reader or writer of the
old shape: a field removed, a field newly required, a type changed, an enum (or const) narrowed,
a constraint tightened, unknown fields newly forbidden. Additions that the old data satisfies
(new optional fields, wider enums, looser constraints) are not reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Schema = Mapping[str, Any]
_Step = Callable[[Schema, Schema, str], "list[Incompatibility]"]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


@dataclass(frozen=True)
class Incompatibility:
    """One backward-incompatible difference, at a dotted path (`data.lines[].amount`)."""

    path: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.kind}: {self.detail}"


def find_incompatibilities(old: Schema, new: Schema) -> list[Incompatibility]:
    """Every way in which `new` no longer accepts or provides what `old` did."""
    return _Comparison(old, new).compare(old, new, "")


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self._old_root = old_root
        self._new_root = new_root
        self._open_refs: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        return self._once_per_ref_pair(old, new, path, self._compare_variants)

    def _once_per_ref_pair(
        self, old: Schema, new: Schema, path: str, step: _Step
    ) -> list[Incompatibility]:
        """Run `step` unless this pair of `$ref`s is already being compared (recursive types)."""
        refs = (old.get("$ref", ""), new.get("$ref", ""))
        if not (refs[0] and refs[1]):
            return step(old, new, path)
        if refs in self._open_refs:
            return []
        self._open_refs.add(refs)
        try:
            return step(old, new, path)
        finally:
            self._open_refs.discard(refs)

    def _compare_variants(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        old_variants = _variants(_resolve(self._old_root, old))
        new_variants = _variants(_resolve(self._new_root, new))
        if len(old_variants) == 1 and len(new_variants) == 1:
            return self._compare_single(old_variants[0], new_variants[0], path)
        issues: list[Incompatibility] = []
        for variant in old_variants:
            issues.extend(self._best_match(variant, new_variants, path))
        return issues

    def _best_match(
        self, old: Schema, candidates: list[Schema], path: str
    ) -> list[Incompatibility]:
        attempts = [self._compare_single(old, candidate, path) for candidate in candidates]
        if any(not attempt for attempt in attempts):
            return []
        if len(candidates) == 1:
            return attempts[0]
        return [Incompatibility(path, "type_changed", f"no longer accepts {_describe(old)}")]

    def _compare_single(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        return self._once_per_ref_pair(old, new, path, self._compare_resolved)

    def _compare_resolved(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        old = _resolve(self._old_root, old)
        new = _resolve(self._new_root, new)
        issues = _compare_types(old, new, path)
        if issues:
            return issues
        issues += _compare_values(old, new, path)
        issues += _compare_bounds(old, new, path)
        issues += self._compare_object(old, new, path)
        if "items" in old and "items" in new:
            issues += self.compare(old["items"], new["items"], f"{path}[]")
        return issues

    def _compare_object(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        issues: list[Incompatibility] = []
        old_props: Mapping[str, Any] = old.get("properties", {})
        new_props: Mapping[str, Any] = new.get("properties", {})
        for name, old_prop in old_props.items():
            field = _join(path, name)
            if name not in new_props:
                issues.append(Incompatibility(field, "field_removed", "the field is gone"))
            else:
                issues += self.compare(old_prop, new_props[name], field)
        old_required = set(old.get("required", ()))
        for name in sorted(set(new.get("required", ())) - old_required):
            detail = (
                "an existing optional field became required"
                if name in old_props
                else ("a new field is required")
            )
            issues.append(Incompatibility(_join(path, name), "field_newly_required", detail))
        issues += self._compare_additional(old, new, path)
        return issues

    def _compare_additional(self, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            return [
                Incompatibility(path, "additional_properties_forbidden", "unknown fields refused")
            ]
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            return self.compare(old_extra, new_extra, f"{path}{{}}")
        if isinstance(new_extra, Mapping) and old_extra is True:
            return [Incompatibility(f"{path}{{}}", "type_changed", "map values now constrained")]
        return []


def _resolve(root: Schema, node: Schema) -> Schema:
    """Follow local `$ref`s (and a lone `allOf` wrapper), keeping sibling keywords."""
    for _ in range(100):
        if "$ref" in node:
            target = _lookup(root, node["$ref"])
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            node = {**target, **siblings}
        elif "allOf" in node and len(node["allOf"]) == 1:
            siblings = {key: value for key, value in node.items() if key != "allOf"}
            node = {**node["allOf"][0], **siblings}
        else:
            return node
    raise ValueError("unresolvable $ref chain")


def _lookup(root: Schema, ref: str) -> Schema:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    result: Schema = node
    return result


def _variants(node: Schema) -> list[Schema]:
    for keyword in ("anyOf", "oneOf"):
        if keyword in node:
            siblings = {key: value for key, value in node.items() if key != keyword}
            return [{**siblings, **variant} for variant in node[keyword]]
    return [node]


def _types(node: Schema) -> set[str] | None:
    declared = node.get("type")
    if declared is None:
        values = _allowed_values(node)
        return None if values is None else {_json_type(value) for value in values}
    types = {declared} if isinstance(declared, str) else set(declared)
    if "number" in types:
        types.add("integer")
    return types


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _compare_types(old: Schema, new: Schema, path: str) -> list[Incompatibility]:
    old_types, new_types = _types(old), _types(new)
    if new_types is None or (old_types is not None and old_types <= new_types):
        return []
    was = "any type" if old_types is None else " | ".join(sorted(old_types))
    now = " | ".join(sorted(new_types))
    return [Incompatibility(path, "type_changed", f"was {was}, now {now}")]


def _allowed_values(node: Schema) -> list[Any] | None:
    """The closed set of values a node allows (`enum`, or `const` as a one-value enum)."""
    if "enum" in node:
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    return None


def _compare_values(old: Schema, new: Schema, path: str) -> list[Incompatibility]:
    allowed = _allowed_values(new)
    if allowed is None:
        return []
    old_values = _allowed_values(old)
    if old_values is None:
        return [Incompatibility(path, "enum_narrowed", f"now limited to {allowed!r}")]
    removed = [value for value in old_values if value not in allowed]
    if removed:
        return [Incompatibility(path, "enum_narrowed", f"no longer accepts {removed!r}")]
    return []


def _compare_bounds(old: Schema, new: Schema, path: str) -> list[Incompatibility]:
    issues: list[Incompatibility] = []
    for keyword in _LOWER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] > old[keyword]):
            issues.append(_tightened(path, keyword, old, new))
    for keyword in _UPPER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] < old[keyword]):
            issues.append(_tightened(path, keyword, old, new))
    for keyword in ("pattern", "format", "multipleOf"):
        if keyword in new and old.get(keyword) != new[keyword]:
            issues.append(_tightened(path, keyword, old, new))
    return issues


def _tightened(path: str, keyword: str, old: Schema, new: Schema) -> Incompatibility:
    return Incompatibility(
        path, "constraint_tightened", f"{keyword} was {old.get(keyword)!r}, now {new[keyword]!r}"
    )


def _describe(node: Schema) -> str:
    if "type" in node:
        return str(node["type"])
    if "enum" in node:
        return f"enum {node['enum']!r}"
    return "a variant of the old schema"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
