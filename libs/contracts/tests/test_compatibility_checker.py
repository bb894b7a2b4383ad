"""The checker on its own: two schemas in, the breaking differences out."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from mediprima_contracts.schemas.compatibility import Incompatibility, find_incompatibilities
from mediprima_contracts.values import Money


def kinds(old: type[BaseModel], new: type[BaseModel]) -> list[tuple[str, str]]:
    issues = find_incompatibilities(old.model_json_schema(), new.model_json_schema())
    return [(issue.path, issue.kind) for issue in issues]


class Line(BaseModel):
    code: str
    amount: Money


class Before(BaseModel):
    invoice_id: str
    lines: list[Line]
    note: str | None = None
    status: Literal["accepted", "rejected"]


def test_an_identical_schema_is_compatible() -> None:
    assert kinds(Before, Before) == []


def test_an_added_optional_field_is_compatible() -> None:
    class After(Before):
        extra: int | None = None

    assert kinds(Before, After) == []


def test_a_removed_field_is_reported_with_its_path() -> None:
    class After(BaseModel):
        invoice_id: str
        lines: list[Line]
        status: Literal["accepted", "rejected"]

    assert kinds(Before, After) == [("note", "field_removed")]


def test_a_removed_nested_field_is_reported_inside_the_list() -> None:
    class OtherLine(BaseModel):
        code: str

    class After(BaseModel):
        invoice_id: str
        lines: list[OtherLine]
        note: str | None = None
        status: Literal["accepted", "rejected"]

    assert kinds(Before, After) == [("lines[].amount", "field_removed")]


def test_a_new_required_field_is_reported() -> None:
    class After(Before):
        added: int

    assert kinds(Before, After) == [("added", "field_newly_required")]


def test_an_optional_field_becoming_required_is_reported() -> None:
    class After(BaseModel):
        invoice_id: str
        lines: list[Line]
        note: str
        status: Literal["accepted", "rejected"]

    assert ("note", "field_newly_required") in kinds(Before, After)
    assert ("note", "type_changed") in kinds(Before, After)


def test_a_changed_type_is_reported() -> None:
    class After(BaseModel):
        invoice_id: int
        lines: list[Line]
        note: str | None = None
        status: Literal["accepted", "rejected"]

    assert kinds(Before, After) == [("invoice_id", "type_changed")]


def test_a_narrowed_enum_is_reported_and_a_widened_one_is_not() -> None:
    class Narrower(BaseModel):
        invoice_id: str
        lines: list[Line]
        note: str | None = None
        status: Literal["accepted"]

    class Wider(BaseModel):
        invoice_id: str
        lines: list[Line]
        note: str | None = None
        status: Literal["accepted", "rejected", "pending"]

    assert kinds(Before, Narrower) == [("status", "enum_narrowed")]
    assert kinds(Before, Wider) == []


def test_a_narrowed_str_enum_behind_a_ref_is_reported() -> None:
    class OldKind(StrEnum):
        A = "a"
        B = "b"

    class NewKind(StrEnum):
        A = "a"

    class Old(BaseModel):
        kind: OldKind

    class New(BaseModel):
        kind: NewKind

    assert kinds(Old, New) == [("kind", "enum_narrowed")]


def test_a_tightened_constraint_is_reported_and_a_loosened_one_is_not() -> None:
    class Loose(BaseModel):
        name: str = Field(max_length=200)

    class Tight(BaseModel):
        name: str = Field(max_length=100)

    assert kinds(Loose, Tight) == [("name", "constraint_tightened")]
    assert kinds(Tight, Loose) == []


def test_a_changed_pattern_is_reported() -> None:
    old = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[0-9]+$"}}}
    new = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}}}
    assert find_incompatibilities(old, new) == [
        Incompatibility("code", "constraint_tightened", "pattern was '^[0-9]+$', now '^[0-9]{6}$'")
    ]


def test_dropping_null_is_reported_and_adding_it_is_not() -> None:
    nullable = {
        "type": "object",
        "properties": {"v": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    }
    plain = {"type": "object", "properties": {"v": {"type": "string"}}}
    assert [issue.kind for issue in find_incompatibilities(nullable, plain)] == ["type_changed"]
    assert find_incompatibilities(plain, nullable) == []


def test_integer_may_widen_to_number_but_not_back() -> None:
    integer = {"type": "object", "properties": {"n": {"type": "integer"}}}
    number = {"type": "object", "properties": {"n": {"type": "number"}}}
    assert find_incompatibilities(integer, number) == []
    assert [issue.kind for issue in find_incompatibilities(number, integer)] == ["type_changed"]


def test_forbidding_unknown_fields_is_reported() -> None:
    open_object: dict[str, Any] = {"type": "object", "properties": {}}
    closed = {"type": "object", "properties": {}, "additionalProperties": False}
    assert [issue.kind for issue in find_incompatibilities(open_object, closed)] == [
        "additional_properties_forbidden"
    ]


def test_map_values_are_compared() -> None:
    old = {"type": "object", "additionalProperties": {"type": "string"}}
    new = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert [(i.path, i.kind) for i in find_incompatibilities(old, new)] == [("{}", "type_changed")]


def test_a_recursive_schema_is_compared_without_looping() -> None:
    class Node(BaseModel):
        name: str
        children: list[Node]

    assert kinds(Node, Node) == []


def test_an_incompatibility_reads_as_path_kind_and_detail() -> None:
    issue = Incompatibility("data.lines[].amount", "field_removed", "the field is gone")
    assert str(issue) == "data.lines[].amount: field_removed: the field is gone"
