"""Operators search invoices in the console: invoicing does the filtering, a page at a time with
no cap, and a person's NISS goes only in a request body, never a URL. Against the real invoicing
service in process."""

from __future__ import annotations

import re

from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin

from .signing_in import csrf_of, sign_in
from .with_invoicing import Platform, platform

__all__ = ["platform"]  # the fixture

UNKNOWN_CODE = {"rule": "T-01", "code": "code.unknown", "message": "Code 999999 is not known"}
SHOWN = 50
TO = "\N{EN DASH}"


def invoice_ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="inv-([0-9a-f-]{36})"', page)


async def test_an_operator_finds_a_persons_refused_line_by_a_post_that_keeps_the_niss_out_of_urls(
    platform: Platform,
) -> None:
    gp, person = str(random_gp_riziv()), str(random_ssin())
    refused = await platform.add_invoice(gp, ssin=person, reasons=[UNKNOWN_CODE])
    await platform.add_invoice(gp, ssin=person)
    await platform.add_invoice(gp, reasons=[UNKNOWN_CODE])
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        form = await browser.get("/operator/invoices")

        found = await browser.post(
            "/operator/invoices",
            data={"csrf_token": csrf_of(form), "ssin": person, "refusal_code": "code.unknown"},
        )
        by_link = await browser.get(
            "/operator/invoices", params={"status": "", "provider": gp, "ssin": person}
        )

    assert 'method="post" action="/operator/invoices"' in form.text
    assert found.status_code == 200
    assert invoice_ids(found.text) == [refused]
    assert "T-01 code.unknown" in found.text
    assert '<tr class="line-rejected">' in found.text
    assert f"ssin={person}" not in found.text  # no link or page button carries it
    assert len(invoice_ids(by_link.text)) == 3  # a NISS in a URL is not taken as a filter


async def test_every_match_is_reached_page_by_page(platform: Platform) -> None:
    gp = str(random_gp_riziv())
    made = [await platform.add_invoice(gp, minutes_ago=minutes) for minutes in range(SHOWN + 5)]
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        form = await browser.get("/operator/invoices")
        search = {"csrf_token": csrf_of(form), "provider": gp}

        first = await browser.post("/operator/invoices", data=search)
        second = await browser.post("/operator/invoices", data={**search, "offset": SHOWN})

    assert invoice_ids(first.text) == made[:SHOWN]  # newest first
    assert f"Invoices 1{TO}{SHOWN}, newest first" in first.text
    assert f'name="offset" value="{SHOWN}">Next page' in first.text
    assert "Previous page" not in first.text
    assert invoice_ids(second.text) == made[SHOWN:]
    assert f"Invoices {SHOWN + 1}{TO}{SHOWN + 5}" in second.text
    assert 'name="offset" value="0">Previous page' in second.text
    assert "Next page" not in second.text


async def test_a_search_without_the_forms_token_is_refused(platform: Platform) -> None:
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")

        forged = await browser.post("/operator/invoices", data={"ssin": str(random_ssin())})

    assert forged.status_code == 403
