"""Dutch and French, English as the fallback: the texts are English and each language has a
catalogue of their translations (tests/test_console_i18n.py fails on a text a catalogue lacks)."""

from __future__ import annotations

from collections.abc import Callable

from console.catalogues import DUTCH, ENGLISH, FRENCH

LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "en"
CATALOGUES: dict[str, dict[str, str]] = {"nl": DUTCH, "fr": FRENCH, "en": ENGLISH}


def translator(language: str) -> Callable[[str], str]:
    catalogue = CATALOGUES.get(language, {})
    return lambda text: catalogue.get(text, text)


def pick_language(chosen: str | None, accept_language: str | None) -> str:
    """The language the user switched to, else the first of Accept-Language we speak."""
    if chosen in LANGUAGES:
        return chosen
    for tag, _quality in _ranked(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def _ranked(header: str) -> list[tuple[str, float]]:
    ranked = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((tag, quality))
    return sorted(ranked, key=lambda item: -item[1])
