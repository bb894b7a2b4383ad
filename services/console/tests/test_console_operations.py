"""The operators' health and dead-letter pages, with no service behind the console: what an
operator sees when the services do not answer, and the checks made before any call."""

import httpx

from .signing_in import csrf_of, sign_in

SERVICES = ("decision-registry", "consultation", "tariffing", "invoicing", "settlement")


async def test_the_health_page_shows_each_service_that_does_not_answer_as_not_ready(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "operator", "operator-1")

    page = await console.get("/operator/health?lang=nl")

    assert page.status_code == 200
    assert page.text.count("niet gereed") == len(SERVICES)
    assert page.text.count("De dienst gaf zijn toestand niet.") == len(SERVICES)
    for service in SERVICES:
        assert f'id="service-{service}"' in page.text


async def test_the_health_tables_ask_for_themselves_again_and_come_alone(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "operator", "operator-1")

    page = await console.get("/operator/health")
    tables = await console.get("/operator/health/tables", headers={"HX-Request": "true"})

    assert 'hx-get="/operator/health/tables" hx-trigger="every 10s"' in page.text
    assert tables.status_code == 200
    assert tables.text.lstrip().startswith('<div id="health-tables"')
    assert "<html" not in tables.text
    assert tables.text.count("not ready") == len(SERVICES)


async def test_dead_letters_of_an_unknown_service_are_404_and_unanswered_ones_503(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "operator", "operator-1")

    unknown = await console.get("/operator/dead-letters?service=payroll")
    unanswered = await console.get("/operator/dead-letters?service=invoicing")

    assert unknown.status_code == 404
    assert "payroll" in unknown.text
    assert unanswered.status_code == 503


async def test_a_replay_needs_the_forms_csrf_token(console: httpx.AsyncClient) -> None:
    page = await sign_in(console, "operator", "operator-1")
    form = await console.get("/operator/health")

    without = await console.post(
        "/operator/dead-letters/invoicing/7/replay", data={"confirmed": "true"}
    )
    unknown = await console.post(
        "/operator/dead-letters/payroll/replay-all",
        data={"csrf_token": csrf_of(form), "group": "payroll.x", "confirmed": "true"},
    )

    assert page.status_code in (200, 303)
    assert without.status_code == 403
    assert unknown.status_code == 404


async def test_a_gp_cannot_open_the_operators_health_or_dead_letters(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "gp", "10000000003")

    for path in (
        "/operator/health",
        "/operator/dead-letters",
        "/operator/dead-letters/invoicing/1",
    ):
        assert (await console.get(path)).status_code == 403
