from __future__ import annotations

from typing import Any

import pytest

from mediprima_contracts.components import Coverage, Finding, Person
from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.export import event_schema
from mediprima_contracts.testing import error_code, example_coverage


def test_a_finding_names_a_domain_rule_and_a_dotted_code() -> None:
    finding = Finding(rule="I-05b", code="agreement.expired", message="Agreement expired.")
    assert finding.rule == "I-05b"
    assert error_code(lambda: Finding(rule="D4", code="x", message="m")) == (
        "string_pattern_mismatch"
    )
    assert error_code(lambda: Finding(rule="D-04", code="Bad Code", message="m")) == (
        "string_pattern_mismatch"
    )


def test_a_person_cannot_die_before_birth() -> None:
    person = {"last_name": "P", "first_name": "A", "birth_date": "1990-01-01", "sex": "male"}
    assert Person.model_validate(person).death_date is None
    assert (
        error_code(lambda: Person.model_validate({**person, "death_date": "1989-12-31"}))
        == "person.death_before_birth"
    )


def test_a_coverage_defaults_to_any_provider_without_prescription() -> None:
    coverage = Coverage.model_validate(
        {key: value for key, value in example_coverage().items() if key != "providers"}
        | {"prescription_required": False}
    )
    assert coverage.providers == []


def _properties(node: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}.{name}", prop))
        for key, child in node.items():
            found += _properties(child, f"{path}/{key}")
    elif isinstance(node, list):
        for child in node:
            found += _properties(child, path)
    return found


@pytest.mark.parametrize("event", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_has_a_description(event: type) -> None:
    missing = [
        path
        for path, prop in _properties(event_schema(event), event.__name__)
        if "description" not in prop
    ]
    assert not missing, f"fields without a description: {missing}"
