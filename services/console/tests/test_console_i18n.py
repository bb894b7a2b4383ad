"""Dutch and French: every text of every page has both, and the language is chosen right."""

import re
from pathlib import Path

import httpx
import pytest

from console.catalogues import DUTCH, FRENCH
from console.i18n import pick_language

from .signing_in import sign_in

SOURCE = Path(__file__).resolve().parents[1] / "src" / "console"
IN_TEMPLATES = re.compile(r"""_\((?:"([^"]+)"|'([^']+)')\)""")
IN_CODE = re.compile(r"""(?:title|message|problem)="([^"]+)\"""")


def _texts() -> set[str]:
    texts = set()
    for template in (SOURCE / "templates").rglob("*.html"):
        texts |= {a or b for a, b in IN_TEMPLATES.findall(template.read_text())}
    for module in SOURCE.rglob("*.py"):
        texts |= set(IN_CODE.findall(module.read_text()))
    return texts


@pytest.mark.parametrize(("language", "catalogue"), [("nl", DUTCH), ("fr", FRENCH)])
def test_every_text_of_the_console_is_translated(language: str, catalogue: dict[str, str]) -> None:
    texts = _texts()

    assert len(texts) > 100
    assert sorted(texts - catalogue.keys()) == []


@pytest.mark.parametrize(
    ("chosen", "accept_language", "expected"),
    [
        (None, "fr-BE,fr;q=0.9,en;q=0.5", "fr"),
        (None, "de-DE,nl;q=0.8", "nl"),
        (None, "de-DE", "en"),
        (None, None, "en"),
        ("nl", "fr-BE", "nl"),
        ("xx", "fr", "fr"),
    ],
)
def test_the_language_is_the_switch_then_accept_language_then_english(
    chosen: str | None, accept_language: str | None, expected: str
) -> None:
    assert pick_language(chosen, accept_language) == expected


async def test_the_language_switch_sticks_for_the_next_pages(console: httpx.AsyncClient) -> None:
    switched = await console.get("/sign-in?lang=fr", headers={"Accept-Language": "nl"})
    next_page = await console.get("/sign-in", headers={"Accept-Language": "nl"})

    assert '<html lang="fr">' in switched.text
    assert "Se connecter" in next_page.text
    await sign_in(console, "operator", "operator-1")
    assert "Factures" in (await console.get("/operator/tariff-imports")).text
