"""D-15: free text is visible to every party, so it must not carry medical information."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from decision_registry.decisions.rules.findings import RuleFinding, warning

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class MedicalVocabulary:
    """Words (exact) and stems (`diabet*`) that betray medical information, all languages."""

    words: frozenset[str]
    stems: tuple[str, ...]

    @classmethod
    def from_terms(cls, terms: Iterable[str]) -> MedicalVocabulary:
        normalised = [normalise(term) for term in terms if term.strip()]
        return cls(
            words=frozenset(term for term in normalised if not term.endswith("*")),
            stems=tuple(sorted(term[:-1] for term in normalised if term.endswith("*"))),
        )


def normalise(text: str) -> str:
    """Lower case without accents, so `Épilepsie` and `epilepsie` meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def medical_words_in_d15(text: str, vocabulary: MedicalVocabulary) -> list[str]:
    """D-15: the words of `text` the vocabulary flags, in order of appearance, once each."""
    found: list[str] = []
    for word in _WORD.findall(normalise(text)):
        flagged = word in vocabulary.words or any(
            word.startswith(stem) for stem in vocabulary.stems
        )
        if flagged and word not in found:
            found.append(word)
    return found


def check_comment_d15(
    text: str | None, vocabulary: MedicalVocabulary, *, field: str = "comment"
) -> list[RuleFinding]:
    """D-15: a comment that looks medical is filed with a warning (a word list cannot be sure)."""
    if not text:
        return []
    found = medical_words_in_d15(text, vocabulary)
    if not found:
        return []
    return [
        warning(
            "D-15",
            "comment.medical_information",
            f"The {field} looks like medical information ({', '.join(found[:5])}); it is visible "
            "to every party: keep medical details out of it",
            field,
        )
    ]
