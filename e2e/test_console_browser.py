"""The console in a real browser (Debian's Chromium driven by Playwright) against the platform
as `make run` starts it: the five services and the console as processes from the Procfile.

MEDIPRIMA_CONSOLE_SCREENSHOTS=<dir> also saves a screenshot of each main page there (that is
how docs/console/ is made)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pymupdf
import pytest
from playwright.async_api import Browser, Page, expect

from e2e.accessibility import wcag_violations
from e2e.chromium import chromium, snap
from e2e.console_setup import UNKNOWN_CODE, Seeded, seed
from e2e.local_platform import (
    PORTS,
    free_port_offset,
    local_actors,
    local_clients,
    procfile_platform,
    wait_until_ready,
)
from e2e.walkthrough import Actors, ask_until, expect_status
from mediprima_contracts.events.topics import PRICING
from mediprima_contracts.testing import random_enterprise_number
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus

BAD_TARIFF_FILE = (
    b"code,valid_from,valid_until,fee,reimbursement,reimbursement_preferential,patient_share,"
    b"provider_types,description\n12345,2027-01-01,,34.25,30.25,33.25,4.00,gp,Five digits\n"
)
GARBLED_RECORD = b'{"type": "mediprima.invoice.priced", "note": "garbled by a test"}'
READY_WITHIN_SECONDS = 90
# Payments happen when the operator says so in the browser, never on the daily schedule.
PLATFORM_SETTINGS = {"MEDIPRIMA_PAYMENT_RUN_SCHEDULE": ""}
EVENTS_WITHIN_SECONDS = 45
STEP_MILLISECONDS = 20_000


@dataclass(frozen=True)
class Platform:
    console_url: str
    var_dir: Path
    actors: Actors
    seeded: Seeded
    clients: Mapping[str, httpx.AsyncClient]

    async def settled_month(self) -> None:
        """A settled month holding the seeded invoice: the operator's test makes it in the
        browser; run alone, the OCMW's test has it made through the APIs."""
        operator, settlement = self.actors.operator, self.clients["settlement"]
        if (await settlement.get("/v1/settlements", headers=operator)).json()["items"]:
            return
        await expect_status(
            self.clients["invoicing"].post("/v1/payment-runs", headers=operator), 200
        )
        month = datetime.now(UTC).strftime("%Y-%m")

        async def run_month() -> httpx.Response:
            started = await expect_status(
                settlement.post("/v1/settlements", json={"month": month}, headers=operator), 202
            )
            return await settlement.get(
                f"/v1/settlements/{started['settlement_id']}", headers=operator
            )

        # The paid lines reach the settlement's ledger through the bus, a moment later.
        await ask_until(run_month, lambda body: body["totals"]["lines"] >= 1, EVENTS_WITHIN_SECONDS)

    async def garbled_pricing_record(self) -> int:
        """A record on invoicing's pricing topic that is no event at all (written straight on
        the platform's SQL event log): invoicing keeps it as a dead letter, whose id this is."""
        bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{self.var_dir / 'bus.db'}")
        await bus.start()
        try:
            await bus.publish([OutgoingRecord(PRICING, "garbled", GARBLED_RECORD, {})])
        finally:
            await bus.close()
        letters = await ask_until(
            lambda: self.clients["invoicing"].get(
                "/v1/operations/dead-letters", headers=self.actors.operator
            ),
            lambda body: any(item["topic"] == PRICING for item in body["items"]),
            EVENTS_WITHIN_SECONDS,
        )
        return int(next(item["id"] for item in letters["items"] if item["topic"] == PRICING))


@pytest.fixture(scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    var_dir = tmp_path_factory.mktemp("console-platform")
    offset = free_port_offset()
    async with (
        procfile_platform(var_dir, offset, PLATFORM_SETTINGS),
        local_clients(offset) as clients,
    ):
        await wait_until_ready(clients, patience=READY_WITHIN_SECONDS)
        actors = local_actors(var_dir)
        today = datetime.now(UTC).date()
        seeded = await seed(clients, actors, today=today, patience=EVENTS_WITHIN_SECONDS)
        yield Platform(
            console_url=f"http://127.0.0.1:{PORTS['console'] + offset}",
            var_dir=var_dir,
            actors=actors,
            seeded=seeded,
            clients=clients,
        )


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def signed_in(browser: Browser, platform: Platform, role: str, subject: str) -> Page:
    context = await browser.new_context(
        base_url=platform.console_url, accept_downloads=True, locale="en-GB"
    )
    context.set_default_timeout(STEP_MILLISECONDS)
    page = await context.new_page()
    await page.goto("/sign-in")
    await page.check(f"input[name=role][value={role}]")
    await page.fill("#subject", subject)
    await page.click("button[type=submit]")
    return page


@pytest.mark.e2e
async def test_an_operator_finds_a_refused_line_pays_settles_and_downloads_a_statement(
    platform: Platform, browser: Browser
) -> None:
    actors = platform.actors
    page = await signed_in(browser, platform, "operator", "operator-1")
    await snap(page, "sign-in-done")

    await page.fill("#provider", actors.gp_riziv)
    await page.fill("#refusal_code", "code.unknown")
    await page.click("text=Search")
    refused = page.locator("tr.line-rejected")
    await expect(refused).to_have_count(1)
    await expect(refused).to_contain_text(UNKNOWN_CODE)
    await expect(refused).to_contain_text("T-01 code.unknown")
    await expect(page.locator("#results")).to_contain_text(platform.seeded.invoice_id)
    await snap(page, "operator-invoices")

    await page.goto("/operator/payment-runs")
    page.once("dialog", lambda dialog: dialog.accept())
    await page.click("text=Start a payment run")
    # The run's page follows it (polling invoicing) until it is finished.
    await expect(page).to_have_url(re.compile(r"/operator/payment-runs/[0-9a-f-]{36}$"))
    run = page.locator("section.run")
    await expect(run).to_have_attribute("data-status", "finished")
    await expect(run).to_contain_text("1 of 1 provider(s) paid")
    await expect(run).to_contain_text("1 invoice(s) paid")
    await expect(run.locator("tbody tr")).to_contain_text(actors.gp_riziv)
    await snap(page, "operator-payment-run")
    await page.click("text=All payment runs")
    latest = page.locator("table.runs tbody tr").first
    await expect(latest).to_contain_text("finished")
    await expect(latest).to_contain_text("1 / 1")
    await snap(page, "operator-payment-runs")

    month = datetime.now(UTC).strftime("%Y-%m")  # the month the run just paid in
    await page.goto("/operator/settlements")
    await page.fill("#month", month)
    await page.click("text=Run the month")
    await expect(page.locator("h1")).to_have_text(f"Settlement {month}")
    ocmw_row = page.locator("tbody tr", has_text=actors.ocmw_enterprise_number)
    await expect(ocmw_row).to_contain_text("1")
    await snap(page, "operator-settlement")
    async with page.expect_download() as downloading:
        await page.click(f"a[aria-label='Statement {actors.ocmw_enterprise_number} PDF']")
    download = await downloading.value
    statement = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert statement.startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
    with pymupdf.open(stream=statement, filetype="pdf") as document:
        statement_text = "".join(page.get_text() for page in document)
    # every line, the person named beside the number as the OCMW knows them from the decision
    assert platform.seeded.invoice_id in statement_text
    assert f"{actors.ssin}\nPeeters, An" in statement_text

    await page.check("input[name=confirmed]")
    await page.click(f"text=Close {month}")
    await expect(page.locator("dd.status")).to_have_text("closed")
    await page.goto("/operator/settlements")
    await expect(page.locator("tbody tr", has_text=month)).to_contain_text("closed")
    await page.goto("/operator/activity")
    await expect(page.locator("svg.chart rect.bar-paid")).to_have_count(14)
    await snap(page, "operator-activity")

    await page.goto("/operator/tariff-imports")
    await page.set_input_files(
        "#tariff_file",
        files=[{"name": "tariffs.csv", "mimeType": "text/csv", "buffer": BAD_TARIFF_FILE}],
    )
    await page.click("button >> text=Import")
    await expect(page.locator("[role=alert] table")).to_contain_text("tariff.code_format")
    await snap(page, "operator-tariff-import")
    await page.context.close()


@pytest.mark.e2e
async def test_an_operator_sees_each_services_health_and_replays_a_dead_letter(
    platform: Platform, browser: Browser
) -> None:
    letter_id = await platform.garbled_pricing_record()
    page = await signed_in(browser, platform, "operator", "operator-1")

    await page.goto("/operator/health")
    invoicing = page.locator("#service-invoicing")
    await expect(invoicing.locator("td").nth(0)).to_have_text("ready")
    await expect(invoicing.locator("a.status-down")).to_have_text("1")
    await expect(page.locator("table.lag tbody")).to_contain_text("invoicing.pricing")
    await snap(page, "operator-health")

    await invoicing.locator("a.status-down").click()
    row = page.locator("tr.letter-waiting", has_text="unreadable event")
    await expect(row).to_contain_text("invoicing.pricing")
    await snap(page, "operator-dead-letters")
    await page.click(f"a[aria-label='Dead letter invoicing {letter_id}']")
    await expect(page.locator("pre.payload")).to_contain_text("garbled by a test")
    await page.check("input[name=confirmed]")
    await page.click("text=Replay this letter")
    await expect(page.locator("[role=alert]")).to_contain_text("Refused again")
    await expect(page.locator("dd.status")).to_have_text("waiting")
    tried = page.locator("dl.facts div", has_text="Replays tried").locator("dd")
    await expect(tried).to_have_text("1")
    await snap(page, "operator-dead-letter")

    await page.goto("/operator/dead-letters?service=invoicing")
    await page.check("input[name=confirmed]")
    await page.click("text=Replay all of invoicing.pricing")
    await expect(page.locator("section.result")).to_contain_text("0 replayed now")
    await expect(page.locator("section.result")).to_contain_text("1 refused again")
    await page.context.close()


@pytest.mark.e2e
async def test_an_ocmw_sees_only_its_own_decisions_and_statements(
    platform: Platform, browser: Browser
) -> None:
    actors, number = platform.actors, platform.seeded.decision_number
    await platform.settled_month()
    own = await signed_in(browser, platform, "ocmw", actors.ocmw_enterprise_number)
    other = await signed_in(browser, platform, "ocmw", random_enterprise_number())

    await own.fill("#ssin", actors.ssin)
    await own.click("button[type=submit] >> text=Find this person's decisions")
    await expect(own.locator("main tbody")).to_contain_text(number)
    await expect(own.locator("main tbody")).to_contain_text("Peeters, An")
    await own.click(f"text={number}")
    await expect(own.locator("table.versions thead")).to_contain_text("v2")
    await expect(own.locator("td.changed")).not_to_have_count(0)
    await snap(own, "ocmw-decision-versions")
    await own.goto("/ocmw/worklists?kind=urgent-aid-ending")
    await expect(own.locator("main caption")).to_contain_text("Urgent medical aid ending")
    await own.goto("/ocmw/statements")
    await own.click("main tbody a >> nth=0")  # the newest month: the one the operator settled
    line = own.locator("main tbody tr", has_text=actors.ssin)
    await expect(line).to_contain_text("Peeters, An")
    await snap(own, "ocmw-statement")

    await other.fill("#ssin", actors.ssin)
    await other.click("button[type=submit] >> text=Find this person's decisions")
    await expect(other.locator("main tbody")).to_have_text("No decision of yours for this person.")
    opened = await other.goto(f"/ocmw/decisions/{number}")
    assert opened is not None
    assert opened.status in (403, 404)
    await expect(other.locator("main")).not_to_contain_text("Peeters")
    await other.goto("/ocmw/statements")
    await other.click("main tbody a >> nth=0")
    await expect(other.locator("main")).to_contain_text("You have no line in this month.")
    await expect(other.locator("main")).not_to_contain_text(actors.ssin)
    await own.context.close()
    await other.context.close()


@pytest.mark.e2e
async def test_a_gp_cannot_open_operator_pages(platform: Platform, browser: Browser) -> None:
    page = await signed_in(browser, platform, "gp", platform.actors.gp_riziv)
    await expect(page.locator("h1")).to_have_text("Coverage check")

    for operator_page in ("/operator/invoices", "/operator/payment-runs", "/operator/settlements"):
        opened = await page.goto(operator_page)
        assert opened is not None
        assert opened.status == 403
        await expect(page.locator("main")).to_contain_text("Your role may not open this page.")
    await page.goto("/gp/coverage")
    await page.fill("#ssin", platform.actors.ssin)
    await page.fill("#care_date", datetime.now(UTC).date().isoformat())
    await page.click("button >> text=Check coverage")
    await expect(page.locator("section.result h2")).to_have_text("Covered")
    await expect(page.locator("section.result")).to_contain_text("Agreement number")
    await page.goto("/gp/invoices")
    await expect(page.locator("main")).to_contain_text(platform.seeded.invoice_id)
    await snap(page, "gp-invoices")
    await page.context.close()


ROLE_PAGES = {
    "operator": [
        "/operator/invoices",
        "/operator/activity",
        "/operator/payment-runs",
        "/operator/settlements",
        "/operator/tariff-imports",
        "/operator/health",
        "/operator/dead-letters",
    ],
    "ocmw": ["/ocmw/decisions", "/ocmw/worklists", "/ocmw/certificates", "/ocmw/statements"],
    "gp": ["/gp/coverage", "/gp/pricing", "/gp/invoices", "/gp/payments"],
}


@pytest.mark.e2e
async def test_every_main_page_passes_the_wcag_aa_checks_of_axe_in_each_language(
    platform: Platform, browser: Browser
) -> None:
    """Labels, names, contrast, landmarks, headings and tables as axe-core finds them in
    Chromium, on the sign-in page and each role's pages, in Dutch, French and English."""
    subjects = {
        "operator": "operator-1",
        "ocmw": platform.actors.ocmw_enterprise_number,
        "gp": platform.actors.gp_riziv,
    }
    found: dict[str, list[str]] = {}
    context = await browser.new_context(base_url=platform.console_url, locale="en-GB")
    page = await context.new_page()
    for language in ("nl", "fr", "en"):
        await page.goto(f"/sign-in?lang={language}")
        found[f"/sign-in ({language})"] = await wcag_violations(page)
    await context.close()
    for role, pages in ROLE_PAGES.items():
        page = await signed_in(browser, platform, role, subjects[role])
        if role == "ocmw":
            pages = [*pages, f"/ocmw/decisions/{platform.seeded.decision_number}"]
        for path in pages:
            await page.goto(path)
            found[path] = await wcag_violations(page)
        await page.context.close()

    assert {path: issues for path, issues in found.items() if issues} == {}


@pytest.mark.e2e
async def test_the_accessibility_check_fails_a_field_without_a_label_or_text_without_contrast(
    platform: Platform, browser: Browser
) -> None:
    """The check above can fail: the same sign-in page with a field nobody labelled and grey
    text on grey is refused."""
    context = await browser.new_context(base_url=platform.console_url)
    page = await context.new_page()
    await page.goto("/sign-in")
    await page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<input id="nameless"><p id="faint">faint</p>');
            const faint = document.getElementById("faint");
            faint.style.color = "#999";  // set through the DOM: the CSP refuses style attributes
            faint.style.background = "#aaa";
        }"""
    )

    found = " ".join(await wcag_violations(page))

    assert "label" in found
    assert "#nameless" in found
    assert "color-contrast (serious): #faint" in found
    await context.close()


@pytest.mark.e2e
async def test_signing_in_and_moving_through_the_menu_by_keyboard_alone(
    platform: Platform, browser: Browser
) -> None:
    context = await browser.new_context(base_url=platform.console_url, locale="en-GB")
    context.set_default_timeout(STEP_MILLISECONDS)
    page = await context.new_page()
    await page.goto("/sign-in")

    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_text("Skip to content")
    await page.focus("input[name=role][value=gp]")
    await page.keyboard.press("ArrowUp")  # radio buttons move with the arrows
    await expect(page.locator("input[name=role][value=ocmw]")).to_be_checked()
    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_id("subject")
    await page.keyboard.type(platform.actors.ocmw_enterprise_number)
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text("Decisions")

    worklists = page.locator("nav a", has_text="Worklists")
    for _ in range(30):
        if await worklists.evaluate("link => link === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/ocmw/worklists"))
    await context.close()
