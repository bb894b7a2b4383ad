"""axe-core (Deque's accessibility engine, from npm) run in the page as Chromium shows it: the
WCAG 2.1 A and AA rules that can be checked by a machine (labels, names, contrast, landmarks,
language, headings, tables)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

from mediprima_contracts.testing.npm import npm_package_file

AXE_PACKAGE = "axe-core@4.14.1"
AXE_MEMBER = "package/axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROOT = Path(__file__).resolve().parents[1]


@cache
def axe_source() -> str:
    """axe.min.js, taken once from npm into the var dir (not kept in the repository)."""
    cache_dir = Path(os.environ.get("MEDIPRIMA_VAR_DIR", ROOT / ".var")) / "cache" / "npm"
    return npm_package_file(AXE_PACKAGE, AXE_MEMBER, cache_dir).read_text()


async def wcag_violations(page: Page) -> list[str]:
    """Each violation of the page as shown: rule, impact and the elements, one line each.
    (Evaluated through the browser's debugging protocol, which the console's CSP, rightly, would
    not let a script tag do.)"""
    await page.evaluate(axe_source())
    results: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]
