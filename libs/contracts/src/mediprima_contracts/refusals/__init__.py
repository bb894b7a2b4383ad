"""Every refusal code the platform answers with, its rule and its text in English, Dutch and
French, read from `catalogue.toml` (one file, so GP and OCMW software can read it too).

The texts carry no parameters. `rule` is the rule a code is refused under when the code that
refuses names none (validation errors, the platform's own checks); a refusal that names its rule
keeps it.
"""

from __future__ import annotations

import tomllib
import typing
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core.core_schema import ErrorType

Language = Literal["en", "nl", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "nl", "fr")
SCHEMA_RULE = "API-01"
"""The rule of a well-formed request: what schema validation refuses under."""
PYDANTIC_ERROR_TYPES: frozenset[str] = frozenset(typing.get_args(ErrorType))


class Texts(BaseModel):
    """One text in each language of the platform."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    en: str = Field(min_length=1, description="English.")
    nl: str = Field(min_length=1, description="Dutch.")
    fr: str = Field(min_length=1, description="French.")

    def in_language(self, language: Language) -> str:
        text: str = getattr(self, language)
        return text


class Refusal(Texts):
    """A refusal code's rule and texts."""

    rule: str = Field(pattern=r"^(API-[0-9]{2}|[A-Z]-[0-9]{2}[a-z]?)$", description="Rule id.")


class _Stated(BaseModel):
    codes: frozenset[str]


class Catalogue(BaseModel):
    """The whole of `catalogue.toml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: dict[str, Texts] = Field(description="The platform's own rules (API-xx).")
    titles: dict[int, Texts] = Field(description="Problem titles by HTTP status.")
    stated: _Stated = Field(description="Codes whose message is the caller's own words.")
    schema_: dict[str, Texts] = Field(alias="schema", description="By pydantic error type.")
    codes: dict[str, Refusal] = Field(description="Every refusal code.")
    phrases: dict[str, Texts] = Field(description="Texts the problem details are built from.")

    def rule_of(self, code: str) -> str | None:
        """The rule `code` is refused under, or None for a code the catalogue does not know."""
        if code in self.codes:
            return self.codes[code].rule
        return SCHEMA_RULE if code in PYDANTIC_ERROR_TYPES else None

    def message(self, code: str, language: Language) -> str | None:
        """The catalogue's text for `code`, or None when the message is not the catalogue's
        (a stated reason, an unknown code)."""
        texts = self._texts(code)
        return texts.in_language(language) if texts else None

    def title(self, status: int, language: Language) -> str | None:
        texts = self.titles.get(status)
        return texts.in_language(language) if texts else None

    def phrase(self, name: str, language: Language, **values: object) -> str:
        return self.phrases[name].in_language(language).format(**values)

    def _texts(self, code: str) -> Texts | None:
        if code in self.stated.codes:
            return None
        if code in self.codes:
            return self.codes[code]
        if code in PYDANTIC_ERROR_TYPES:
            return self.schema_.get(code, self.schema_["default"])
        return None


@cache
def catalogue() -> Catalogue:
    """The catalogue, read once."""
    text = files(__package__).joinpath("catalogue.toml").read_text(encoding="utf-8")
    return Catalogue.model_validate(tomllib.loads(text))


__all__ = [
    "LANGUAGES",
    "PYDANTIC_ERROR_TYPES",
    "SCHEMA_RULE",
    "Catalogue",
    "Language",
    "Refusal",
    "Texts",
    "catalogue",
]
