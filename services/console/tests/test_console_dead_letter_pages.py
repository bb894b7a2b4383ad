"""Operators page through a service's dead letters, 50 at a time, however many there are
(against the real invoicing service in process, its letters written by servicekit's store)."""

from __future__ import annotations

import re

from servicekit.bus.api import Record
from servicekit.deadletters import store

from .signing_in import csrf_of, sign_in
from .with_invoicing import Platform, platform

__all__ = ["platform"]  # the fixture

LETTERS = 55
ROW = re.compile(r'<tr class="letter-waiting">')


async def keep_letters(platform: Platform, count: int) -> None:
    async with platform.invoicing.transaction() as session:
        for offset in range(count):
            record = Record("invoicing.pricing", 0, offset, f"key-{offset}", b"{}", {})
            await store.keep(
                session,
                group="invoicing.pricing",
                record=record,
                error="no such event",
                event_id=None,
                event_type=None,
            )


async def test_an_operator_pages_through_every_dead_letter_of_a_service(
    platform: Platform,
) -> None:
    await keep_letters(platform, LETTERS)
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


async def test_replaying_a_groups_letters_needs_the_box_ticked_and_then_says_what_happened(
    platform: Platform,
) -> None:
    await keep_letters(platform, 2)
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        page = await browser.get("/operator/dead-letters?service=invoicing")
        form = {"csrf_token": csrf_of(page), "group": "invoicing.pricing"}
        unticked = await browser.post("/operator/dead-letters/invoicing/replay-all", data=form)
        ticked = await browser.post(
            "/operator/dead-letters/invoicing/replay-all", data={**form, "confirmed": "true"}
        )

    assert unticked.status_code == 422
    assert "Tick the box to confirm the replay." in unticked.text
    assert len(ROW.findall(unticked.text)) == 2
    assert ticked.status_code == 200
    assert "<strong>0</strong> replayed now" in ticked.text
    assert "<strong>2</strong> refused again" in ticked.text  # `{}` is still no event
    assert len(ROW.findall(ticked.text)) == 2
