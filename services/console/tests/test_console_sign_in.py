"""Sign-in, roles, the session cookie and CSRF, without a service behind the console."""

import html

import httpx

from .signing_in import csrf_of, sign_in


async def test_a_signed_out_visitor_is_sent_to_the_sign_in_page(
    console: httpx.AsyncClient,
) -> None:
    answer = await console.get("/operator/invoices")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in"


async def test_signing_in_sends_each_role_to_its_own_start_page(
    console: httpx.AsyncClient,
) -> None:
    signed_in = await sign_in(console, "ocmw", "0212345678")

    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/ocmw/decisions"
    assert (await console.get("/")).headers["location"] == "/ocmw/decisions"


async def test_the_session_cookie_is_signed_http_only_and_same_site_and_pages_refuse_framing(
    console: httpx.AsyncClient,
) -> None:
    signed_in = await sign_in(console, "gp", "10000000003")

    cookie = signed_in.headers["set-cookie"].lower()
    assert cookie.startswith("mediprima_console=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "frame-ancestors 'none'" in signed_in.headers["content-security-policy"]
    assert signed_in.headers["referrer-policy"] == "same-origin"
    tampered = console.cookies["mediprima_console"][:-2] + "xx"
    console.cookies.set("mediprima_console", tampered)
    assert (await console.get("/gp/coverage")).status_code == 303


async def test_a_gp_cannot_open_operator_or_ocmw_pages(console: httpx.AsyncClient) -> None:
    await sign_in(console, "gp", "10000000003")

    for page in ("/operator/invoices", "/operator/settlements", "/ocmw/statements"):
        answer = await console.get(page, headers={"Accept-Language": "nl-BE"})
        assert answer.status_code == 403, page
        assert "Uw rol mag deze pagina niet openen." in answer.text


async def test_an_identity_that_does_not_fit_the_role_is_refused(
    console: httpx.AsyncClient,
) -> None:
    refused = await sign_in(console, "ocmw", "not-a-number")

    assert refused.status_code == 422
    assert "This identity does not fit the role." in refused.text
    assert (await console.get("/ocmw/decisions")).status_code == 303


async def test_a_form_without_this_sessions_csrf_token_is_refused(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "operator", "operator-1")
    page = await console.get("/operator/tariff-imports")  # a form page that calls no service

    forged = await console.post("/operator/payment-runs", data={"csrf_token": "guessed"})
    bare = await console.post("/operator/payment-runs")

    assert page.status_code == 200
    assert csrf_of(page)
    assert forged.status_code == 403
    assert bare.status_code == 403
    assert "The form was sent without a valid token" in forged.text


async def test_signing_out_ends_the_session(console: httpx.AsyncClient) -> None:
    await sign_in(console, "operator", "operator-1")
    page = await console.get("/operator/payment-runs")

    await console.post("/sign-out", data={"csrf_token": csrf_of(page)})

    assert (await console.get("/operator/payment-runs")).status_code == 303


async def test_a_service_that_does_not_answer_is_a_page_saying_so(
    console: httpx.AsyncClient,
) -> None:
    await sign_in(console, "operator", "operator-1")

    answer = await console.get("/operator/settlements", headers={"Accept-Language": "fr"})

    assert answer.status_code == 503
    assert "Un service n'a pas répondu" in html.unescape(answer.text)
