"""D-14 through HTTP: one OCMW at a time for a person; decisions of a person never overlap."""

from datetime import date, timedelta
from typing import Any

import httpx

from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .factories import coverage_body, decision_body, file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today


def spanning(start: int, end: int) -> dict[str, Any]:
    first, last = TODAY + timedelta(days=start), TODAY + timedelta(days=end)
    return {
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "coverages": [coverage_body("general_medicine", first, last)],
    }


async def post(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, **changes: Any
) -> httpx.Response:
    return await client.post(
        "/v1/decisions",
        json=decision_body(ocmw=ocmw, **changes),
        headers=tokens.headers(Role.OCMW, ocmw),
    )


async def test_d14_another_ocmws_overlapping_decision_refuses_without_revealing_it(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin = random_ssin()
    number, _, _ = await file_decision(client, tokens, ssin=ssin, **spanning(-10, 30))
    other = random_enterprise_number()

    overlapping = await post(client, tokens, other, ssin=ssin, **spanning(20, 60))
    after = await post(client, tokens, other, ssin=ssin, **spanning(31, 60))

    assert overlapping.status_code == 422
    [error] = overlapping.json()["errors"]
    assert (error["rule"], error["code"], error["field"]) == (
        "D-14",
        "decision.other_ocmw_competent",
        "period",
    )
    assert number not in overlapping.text
    assert after.status_code == 201, after.text


async def test_d14_the_own_overlapping_decision_is_named(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw, ssin = random_enterprise_number(), random_ssin()
    number, headers, body = await file_decision(
        client, tokens, ocmw=ocmw, ssin=ssin, **spanning(-10, 30)
    )
    second = await post(client, tokens, ocmw, ssin=ssin, **spanning(31, 60))
    overlapping = await post(client, tokens, ocmw, ssin=ssin, **spanning(0, 5))
    extended_into = await client.post(
        f"/v1/decisions/{number}/extend",
        json={"end_date": (TODAY + timedelta(days=40)).isoformat()},
        headers=headers,
    )
    replaced_into = await client.put(
        f"/v1/decisions/{number}",
        json=body | spanning(-10, 35),
        headers=headers | {"If-Match": '"1"'},
    )
    own_days = await client.put(
        f"/v1/decisions/{number}",
        json=body | {"comment": "Rent paid"},
        headers=headers | {"If-Match": '"1"'},
    )

    assert second.status_code == 201
    [error] = overlapping.json()["errors"]
    assert (error["rule"], error["code"]) == ("D-14", "decision.overlaps_own")
    assert number in error["message"]
    assert extended_into.json()["errors"][0]["code"] == "decision.overlaps_own"
    assert second.json()["decision_number"] in extended_into.json()["errors"][0]["message"]
    assert replaced_into.json()["errors"][0]["code"] == "decision.overlaps_own"
    assert own_days.status_code == 200, own_days.text


async def test_d14_a_stopped_decision_holds_only_the_days_it_covered(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin = random_ssin()
    number, headers, _ = await file_decision(client, tokens, ssin=ssin, **spanning(-10, 30))
    await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Moved to Antwerpen"},
        headers=headers,
    )
    other = random_enterprise_number()

    covered_days = await post(client, tokens, other, ssin=ssin, **spanning(-5, 30))
    from_tomorrow = await post(client, tokens, other, ssin=ssin, **spanning(1, 30))

    assert covered_days.json()["errors"][0]["code"] == "decision.other_ocmw_competent"
    assert from_tomorrow.status_code == 201, from_tomorrow.text


async def test_d14_a_suspended_decision_still_holds_its_days(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin = random_ssin()
    number, headers, _ = await file_decision(client, tokens, ssin=ssin)
    await client.post(
        f"/v1/decisions/{number}/suspend", json={"reason": "Inquiry"}, headers=headers
    )

    refused = await post(client, tokens, random_enterprise_number(), ssin=ssin)

    assert refused.json()["errors"][0]["code"] == "decision.other_ocmw_competent"
