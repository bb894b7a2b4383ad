"""Operators page through a service's dead letters, 50 at a time, however many there are
(against the real invoicing service in process, its letters written by servicekit's store)."""

from __future__ import annotations

import re

from servicekit.bus.api import Record
from servicekit.deadletters import store

from .signing_in import sign_in
from .with_invoicing import Platform, platform

__all__ = ["platform"]  # the fixture

LETTERS = 55
ROW = re.compile(r'<tr class="letter-waiting">')


async def test_an_operator_pages_through_every_dead_letter_of_a_service(
    platform: Platform,
) -> None:
    async with platform.invoicing.transaction() as session:
        for offset in range(LETTERS):
            record = Record("invoicing.pricing", 0, offset, f"key-{offset}", b"{}", {})
            await store.keep(
                session,
                group="invoicing.pricing",
                record=record,
                error="no such event",
                event_id=None,
                event_type=None,
            )
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        first = await browser.get("/operator/dead-letters?service=invoicing")
        more = re.search(r'href="([^"]+)">More letters of invoicing', first.text)
        assert more, first.text
        second = await browser.get(more.group(1).replace("&amp;", "&"))

    assert len(ROW.findall(first.text)) == 50
    assert "Previous letters of" not in first.text
    assert len(ROW.findall(second.text)) == LETTERS - 50
    assert "More letters of" not in second.text
    assert 'offset=0">Previous letters of invoicing' in second.text
