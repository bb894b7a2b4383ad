"""Signing in through the console's own form, as a browser would."""

import re

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, role: str, subject: str) -> httpx.Response:
    form = await client.get("/sign-in")
    return await client.post(
        "/sign-in", data={"csrf_token": csrf_of(form), "role": role, "subject": subject}
    )
