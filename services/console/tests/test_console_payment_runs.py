"""Operators start payment runs and follow them in the console, against the real invoicing
service (in process, on its own SQLite database): the console keeps nothing of its own."""

from __future__ import annotations

import re
import uuid

import httpx

from mediprima_contracts.testing.factories import random_gp_riziv

from .signing_in import csrf_of, sign_in
from .with_invoicing import Platform, platform

__all__ = ["platform"]  # the fixture

POLLING = 'hx-trigger="every 1s"'
RUN_PAGE = re.compile(r"^/operator/payment-runs/([0-9a-f-]{36})$")


async def test_an_operator_starts_a_run_and_sees_what_each_provider_was_paid(
    platform: Platform,
) -> None:
    providers = sorted(str(random_gp_riziv()) for _ in range(2))
    for provider in providers:
        await platform.add_invoice(provider)
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        before = await browser.get("/operator/payment-runs")

        started = await browser.post("/operator/payment-runs", data={"csrf_token": csrf_of(before)})

        assert "No payment run yet." in before.text
        assert started.status_code == 303
        found = RUN_PAGE.match(started.headers["location"])
        assert found, started.headers["location"]
        # The in-process service pays before it answers; over HTTP the page polls meanwhile.
        run = await browser.get(started.headers["location"])
        assert run.status_code == 200
        assert 'data-status="finished"' in run.text
        assert POLLING not in run.text
        assert '<strong class="providers-paid">2</strong>' in run.text
        for provider in providers:
            assert re.search(
                rf"<td>{provider}</td><td>PAY-[0-9]{{8}}-[0-9A-F]{{12}}</td>", run.text
            )
        assert run.text.count(">33.51</td>") == 4  # lines and transferred, per provider
        listed = await browser.get("/operator/payment-runs")
        row = re.search(rf'<tr data-run="{found.group(1)}">.*?</tr>', listed.text, re.S)
        assert row, listed.text
        assert "2 / 2" in row.group(0)
        assert "67.02" in row.group(0)
        assert "Paying now" not in listed.text


async def test_a_run_started_from_htmx_sends_the_browser_to_the_runs_page(
    platform: Platform,
) -> None:
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        form = await browser.get("/operator/payment-runs")

        started = await browser.post(
            "/operator/payment-runs",
            data={"csrf_token": csrf_of(form)},
            headers={"HX-Request": "true"},
        )

    assert started.status_code == 204
    assert RUN_PAGE.match(started.headers["HX-Redirect"])


async def test_a_run_still_paying_is_followed_live_by_every_operator_until_it_finishes(
    platform: Platform,
) -> None:
    run_id = await platform.run_in_flight(to_pay=3, paid=1)
    progress = f"/operator/payment-runs/{run_id}/progress"
    async with platform.browser() as first, platform.browser() as second:
        await sign_in(first, "operator", "operator-1")
        await sign_in(second, "operator", "operator-2")

        listed = await second.get("/operator/payment-runs")
        page = await first.get(f"/operator/payment-runs/{run_id}")
        polled = await first.get(progress)
        await platform.finish(run_id)
        last = await first.get(progress)

    assert "Paying now" in listed.text
    assert f'hx-get="{progress}"' in listed.text
    for shown in (page, polled):
        assert f'hx-get="{progress}"' in shown.text
        assert POLLING in shown.text
        assert '<strong class="providers-paid">1</strong>' in shown.text
        assert '<strong class="providers-to-pay">3</strong>' in shown.text
        assert '<dd class="status">running</dd>' in shown.text
    assert "<html" not in polled.text  # the fragment alone, swapped in place
    assert '<dd class="status">finished</dd>' in last.text
    assert POLLING not in last.text  # finished: the page stops asking


async def test_a_second_operator_starting_a_run_joins_the_one_already_paying(
    platform: Platform,
) -> None:
    run_id = await platform.run_in_flight(to_pay=1, paid=0)
    await platform.add_invoice(str(random_gp_riziv()))
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-2")
        form = await browser.get("/operator/payment-runs")

        started = await browser.post("/operator/payment-runs", data={"csrf_token": csrf_of(form)})
        run = await browser.get(started.headers["location"])

    assert started.headers["location"] == f"/operator/payment-runs/{run_id}"
    assert 'data-status="finished"' in run.text
    assert '<strong class="providers-paid">1</strong>' in run.text


async def test_an_unknown_run_is_a_404_page(platform: Platform) -> None:
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")

        unknown = await browser.get(f"/operator/payment-runs/{uuid.uuid4()}")
        malformed = await browser.get("/operator/payment-runs/not-a-run")

    assert unknown.status_code == 404
    assert "I-05 payment_run.not_found" in unknown.text
    assert malformed.status_code == 422  # never passed on to invoicing


async def test_a_gp_cannot_open_payment_runs(console: httpx.AsyncClient) -> None:
    await sign_in(console, "gp", "10000000003")
    run = uuid.uuid4()

    for path in (
        "/operator/payment-runs",
        f"/operator/payment-runs/{run}",
        f"/operator/payment-runs/{run}/progress",
    ):
        assert (await console.get(path)).status_code == 403


async def test_a_run_that_has_not_moved_for_minutes_is_shown_as_most_likely_stopped(
    platform: Platform,
) -> None:
    stopped = await platform.run_in_flight(to_pay=3, paid=1, idle_minutes=5)
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        page = await browser.get(f"/operator/payment-runs/{stopped}")
        await platform.finish(stopped)
        moving = await platform.run_in_flight(to_pay=3, paid=1)
        fresh = await browser.get(f"/operator/payment-runs/{moving}")

    assert 'class="last-progress"' in page.text
    assert "it has most likely stopped" in page.text
    assert POLLING in page.text  # still followed: a restart resumes it and it moves again
    assert 'class="last-progress"' in fresh.text
    assert "most likely stopped" not in fresh.text
