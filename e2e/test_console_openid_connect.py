"""Signing in to the console with OpenID Connect, as production does: a real Keycloak issues the
tokens (the `mediprima` realm of deploy/local/keycloak), the five services verify them against
its published keys, and users sign in on its page in Debian's Chromium (Playwright).

The services run as `make run` starts them, told to trust that issuer instead of the local key;
the console is told its client at the issuer, so it offers no local sign-in at all."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from itsdangerous import TimestampSigner
from playwright.async_api import Browser, Page, expect

from e2e.chromium import chromium, snap
from e2e.console_setup import Seeded, seed
from e2e.keycloak import (
    AUDIENCE,
    CONSOLE_CLIENT,
    GP,
    OCMW_ONE,
    OCMW_TWO,
    OPERATOR,
    PASSWORD,
    REGISTER,
    RealmUser,
    bearer_of,
    keycloak_issuer,
    tokens_of,
)
from e2e.local_platform import (
    PORTS,
    free_port_offset,
    local_clients,
    procfile_platform,
    wait_until_ready,
)
from e2e.walkthrough import Actors, register_decision
from mediprima_contracts.testing import random_ssin

READY_WITHIN_SECONDS = 90
EVENTS_WITHIN_SECONDS = 45
STEP_MILLISECONDS = 20_000
SESSION_SECRET = "a-session-secret-of-this-test-only"  # noqa: S105


@dataclass(frozen=True)
class Platform:
    console_url: str
    issuer: str
    actors: Actors
    seeded: Seeded
    clients: Mapping[str, httpx.AsyncClient]


@pytest.fixture(scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    var_dir = tmp_path_factory.mktemp("oidc-platform")
    offset = free_port_offset()
    console_url = f"http://127.0.0.1:{PORTS['console'] + offset}"
    with keycloak_issuer(tmp_path_factory.mktemp("keycloak")) as issuer:
        client_id, client_secret = CONSOLE_CLIENT
        settings = {
            "MEDIPRIMA_PAYMENT_RUN_SCHEDULE": "",
            "MEDIPRIMA_AUTH_ISSUER": issuer,
            "MEDIPRIMA_AUTH_AUDIENCE": AUDIENCE,
            "MEDIPRIMA_AUTH_JWKS_URL": f"{issuer}/protocol/openid-connect/certs",
            "MEDIPRIMA_CONSOLE_OIDC_CLIENT_ID": client_id,
            "MEDIPRIMA_CONSOLE_OIDC_CLIENT_SECRET": client_secret,
            "MEDIPRIMA_CONSOLE_PUBLIC_URL": console_url,
            "MEDIPRIMA_CONSOLE_SESSION_SECRET": SESSION_SECRET,
        }
        async with (
            procfile_platform(var_dir, offset, settings),
            local_clients(offset) as clients,
        ):
            await wait_until_ready(clients, patience=READY_WITHIN_SECONDS)
            actors = Actors(
                ocmw=await bearer_of(issuer, OCMW_ONE),
                gp=await bearer_of(issuer, GP),
                operator=await bearer_of(issuer, OPERATOR),
                ocmw_enterprise_number=OCMW_ONE.subject,
                ocmw_nis="44021",
                gp_riziv=GP.subject,
                ssin=random_ssin(),
            )
            today = datetime.now(UTC).date()
            seeded = await seed(clients, actors, today=today, patience=EVENTS_WITHIN_SECONDS)
            yield Platform(console_url, issuer, actors, seeded, clients)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def new_page(browser: Browser, platform: Platform) -> Page:
    context = await browser.new_context(base_url=platform.console_url, locale="en-GB")
    context.set_default_timeout(STEP_MILLISECONDS)
    return await context.new_page()


async def sign_in_at_the_issuer(page: Page, user: RealmUser) -> None:
    """From the console's sign-in page through Keycloak's own form and back."""
    await page.goto("/")
    await page.click("a:has-text('Sign in')")
    await page.fill("#username", user.username)
    await snap(page, "oidc-sign-in")
    await page.fill("#password", PASSWORD)
    await page.click("#kc-login")


@pytest.mark.e2e
async def test_an_operator_signs_in_at_the_issuer_and_finds_a_refused_line(
    platform: Platform, browser: Browser
) -> None:
    page = await new_page(browser, platform)
    await sign_in_at_the_issuer(page, OPERATOR)
    await expect(page).to_have_url(f"{platform.console_url}/operator/invoices")
    # The console reads invoicing with the operator's own Keycloak token.
    await page.fill("#provider", GP.subject)
    await page.click("text=Search")
    await expect(page.locator("#results")).to_contain_text(platform.seeded.invoice_id)
    await expect(page.locator("tr.line-rejected")).to_contain_text("T-01 code.unknown")
    await page.context.close()


@pytest.mark.e2e
async def test_an_ocmw_user_sees_its_own_decisions_and_not_another_ocmws(
    platform: Platform, browser: Browser
) -> None:
    others = Actors(
        ocmw=await bearer_of(platform.issuer, OCMW_TWO),
        gp=platform.actors.gp,
        operator=platform.actors.operator,
        ocmw_enterprise_number=OCMW_TWO.subject,
        ocmw_nis="11002",
        gp_riziv=GP.subject,
        ssin=random_ssin(),
    )
    theirs = await register_decision(platform.clients, others, today=datetime.now(UTC).date())

    page = await new_page(browser, platform)
    await sign_in_at_the_issuer(page, OCMW_ONE)
    await expect(page).to_have_url(f"{platform.console_url}/ocmw/decisions")
    await page.goto(f"/ocmw/decisions/{platform.seeded.decision_number}")
    await expect(page.locator("h1")).to_contain_text(platform.seeded.decision_number)
    response = await page.goto(f"/ocmw/decisions/{theirs['decision_number']}")
    assert response is not None
    assert response.status in (403, 404)
    await expect(page.locator("body")).not_to_contain_text(others.ssin)
    await page.context.close()


@pytest.mark.e2e
async def test_a_gp_cannot_open_operator_pages(platform: Platform, browser: Browser) -> None:
    page = await new_page(browser, platform)
    await sign_in_at_the_issuer(page, GP)
    await expect(page).to_have_url(f"{platform.console_url}/gp/coverage")
    response = await page.goto("/operator/invoices")
    assert response is not None
    assert response.status == 403
    await page.context.close()


@pytest.mark.e2e
async def test_an_account_without_a_console_role_is_told_so_and_gets_no_session(
    platform: Platform, browser: Browser
) -> None:
    page = await new_page(browser, platform)
    await sign_in_at_the_issuer(page, REGISTER)
    await expect(page.locator("[role=alert]")).to_contain_text("no role in MediPrima's console")
    response = await page.goto("/operator/invoices")
    assert response is not None
    await expect(page).to_have_url(f"{platform.console_url}/sign-in")
    await page.context.close()


@pytest.mark.e2e
async def test_signing_out_ends_the_session_at_the_issuer_too(
    platform: Platform, browser: Browser
) -> None:
    page = await new_page(browser, platform)
    await sign_in_at_the_issuer(page, OPERATOR)
    await expect(page).to_have_url(f"{platform.console_url}/operator/invoices")
    await page.click("button:has-text('Sign out')")
    # Back from the issuer's logout (with the `state` it echoes).
    await expect(page).to_have_url(re.compile(rf"^{re.escape(platform.console_url)}/sign-in\b"))
    # Keycloak asks again: its session ended with the console's.
    await page.click("a:has-text('Sign in')")
    await expect(page.locator("#username")).to_be_visible()
    await page.goto("/operator/invoices")
    await expect(page).to_have_url(f"{platform.console_url}/sign-in")
    await page.context.close()


@pytest.mark.e2e
async def test_the_console_asks_for_a_code_with_pkce_state_and_nonce(platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=platform.console_url) as console:
        response = await console.get("/sign-in/start")
    assert response.status_code == 302
    asked = urlsplit(response.headers["location"])
    query = {key: values[0] for key, values in parse_qs(asked.query).items()}
    assert f"{asked.scheme}://{asked.netloc}{asked.path}".startswith(platform.issuer)
    assert query["response_type"] == "code"
    assert query["client_id"] == CONSOLE_CLIENT[0]
    assert query["redirect_uri"] == f"{platform.console_url}/sign-in/callback"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43
    assert query["state"]
    assert query["nonce"]
    assert "openid" in query["scope"].split()


@pytest.mark.e2e
async def test_an_answer_that_is_not_this_browsers_sign_in_opens_no_session(
    platform: Platform,
) -> None:
    async with httpx.AsyncClient(base_url=platform.console_url) as console:
        started = await console.get("/sign-in/start")  # this browser's flow, with its own state
        state = parse_qs(urlsplit(started.headers["location"]).query)["state"][0]
        forged = await console.get("/sign-in/callback?code=stolen&state=someone-elses")
        cancelled = await console.get("/sign-in/callback?error=access_denied&state=x")
        # This flow's own state, but a code the issuer never gave: it refuses the exchange.
        made_up = await console.get(f"/sign-in/callback?code=made-up&state={state}")
        after = await console.get("/operator/invoices")
    assert forged.status_code == 400
    assert "Sign-in did not complete" in forged.text
    assert cancelled.status_code == 400
    assert made_up.status_code == 400
    assert after.status_code == 303
    assert after.headers["location"] == "/sign-in"


@pytest.mark.e2e
async def test_no_token_is_minted_where_users_sign_in_with_openid_connect(
    platform: Platform,
) -> None:
    async with httpx.AsyncClient(base_url=platform.console_url) as console:
        page = await console.get("/sign-in")
        minted = await console.post("/sign-in", data={"role": "operator", "subject": "mallory"})
        after = await console.get("/operator/invoices")
    assert 'name="subject"' not in page.text
    assert minted.status_code in (403, 404)
    assert after.status_code == 303
    assert after.headers["location"] == "/sign-in"


def expired_session_cookie() -> str:
    """The session cookie a browser holds once its token's time is up (signed with the console's
    session secret, as Starlette signs it)."""
    expired = {
        "role": "operator",
        "subject": OPERATOR.subject,
        "token": "no-longer-valid",
        "expires_at": time.time() - 1,
        "csrf_token": "x",
    }
    signer = TimestampSigner(SESSION_SECRET)
    return signer.sign(base64.b64encode(json.dumps(expired).encode())).decode()


@pytest.mark.e2e
async def test_a_session_whose_token_ran_out_goes_back_to_the_issuer_and_then_to_its_page(
    platform: Platform, browser: Browser
) -> None:
    async with httpx.AsyncClient(
        base_url=platform.console_url, cookies={"mediprima_console": expired_session_cookie()}
    ) as console:
        page = await console.get("/operator/invoices?status=rejected")
        fragment = await console.get(
            "/operator/health",
            headers={"HX-Request": "true", "HX-Current-URL": f"{platform.console_url}/x?y=1"},
        )
    assert page.status_code == 303
    assert (
        page.headers["location"] == "/sign-in/start?next=%2Foperator%2Finvoices%3Fstatus%3Drejected"
    )
    assert fragment.headers["HX-Redirect"] == "/sign-in/start?next=%2Fx%3Fy%3D1"

    # In the browser: through the issuer's form and back to the page the user was on.
    browsing = await new_page(browser, platform)
    await browsing.context.add_cookies(
        [
            {
                "name": "mediprima_console",
                "value": expired_session_cookie(),
                "url": platform.console_url,
            }
        ]
    )
    await browsing.goto("/operator/settlements")
    await browsing.fill("#username", OPERATOR.username)
    await browsing.fill("#password", PASSWORD)
    await browsing.click("#kc-login")
    await expect(browsing).to_have_url(f"{platform.console_url}/operator/settlements")
    await browsing.context.close()


@pytest.mark.e2e
async def test_the_services_refuse_a_token_of_another_audience(platform: Platform) -> None:
    """Only access tokens for `mediprima` open the services: the ID token the issuer gave the
    same user (its audience is the client) passed off as one is refused."""
    tokens = await tokens_of(platform.issuer, OPERATOR)
    for token, status in ((tokens["id_token"], 401), (tokens["access_token"], 200)):
        response = await platform.clients["invoicing"].get(
            "/v1/invoices", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == status
