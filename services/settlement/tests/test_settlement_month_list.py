"""`GET /v1/settlements`: the settled months, newest first, for operators and OCMWs."""

from __future__ import annotations

import httpx

from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .feeding import run


async def test_the_month_list_shows_every_settled_month_newest_first_without_amounts(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    for month in ("2025-11", "2026-01", "2025-12"):
        assert (await run(client, operator, month)).status_code == 202
    january = (await run(client, operator, "2026-01")).json()["settlement_id"]
    closed = await client.post(f"/v1/settlements/{january}/close", headers=operator)
    assert closed.status_code == 200, closed.text

    first_page = await client.get("/v1/settlements?limit=2", headers=operator)
    rest = await client.get("/v1/settlements?offset=2&limit=2", headers=operator)

    assert first_page.status_code == 200
    page = first_page.json()
    assert [(item["month"], item["status"]) for item in page["items"]] == [
        ("2026-01", "closed"),
        ("2025-12", "open"),
    ]
    assert page["items"][0]["settlement_id"] == january
    assert "totals" not in page["items"][0]
    assert page["next_offset"] == 2
    assert [item["month"] for item in rest.json()["items"]] == ["2025-11"]
    assert rest.json()["next_offset"] is None


async def test_an_ocmw_lists_the_months_and_a_gp_may_not(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    assert (await run(client, tokens.headers(Role.OPERATOR, "op"), "2025-10")).status_code == 202

    as_ocmw = await client.get("/v1/settlements", headers=tokens.headers(Role.OCMW, "0212345678"))
    as_gp = await client.get("/v1/settlements", headers=tokens.headers(Role.GP, "10000000003"))

    assert [item["month"] for item in as_ocmw.json()["items"]] == ["2025-10"]
    assert as_gp.status_code == 403
