"""Base of identifiers that live as their canonical string, valid by construction."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from mediprima_contracts.values.errors import InvalidValue


class ValidatedString(str):
    """A `str` whose constructor normalises and checks its input once.

    An instance is always valid: constructing it from an instance of the same type returns that
    instance without checking again. As a pydantic field type it accepts a string (or an
    instance), reports failures with the type's machine codes, and serialises as a plain string.
    """

    code_prefix: ClassVar[str]
    json_pattern: ClassVar[str]
    json_example: ClassVar[str]

    def __new__(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise InvalidValue(f"{cls.code_prefix}.type", f"{cls.__name__} must be a string")
        return super().__new__(cls, cls.canonical(value))

    @classmethod
    def canonical(cls, value: str) -> str:
        """Return the canonical form of `value`, or raise InvalidValue."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @classmethod
    def _from_pydantic(cls, value: object) -> Self:
        try:
            return cls(value)
        except InvalidValue as error:
            raise error.as_pydantic_error() from None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._from_pydantic,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": cls.json_pattern, "examples": [cls.json_example]}
