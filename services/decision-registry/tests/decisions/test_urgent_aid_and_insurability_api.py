"""D-10 (urgent medical aid renewed period by period after a new social inquiry) and D-11
(the insurability transition from `insurable_since`, extended once) through HTTP."""

from datetime import date, timedelta
from typing import Any

import httpx

from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .factories import coverage_body, decision_body, file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today


def day(days: int) -> date:
    return TODAY + timedelta(days=days)


def urgent_aid(start: date, end: date, **changes: Any) -> dict[str, Any]:
    return {
        "category": "no_legal_residence",
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "coverages": [coverage_body("general_medicine", start, end)],
        **changes,
    }


async def post(client: httpx.AsyncClient, tokens: TokenFactory, **changes: Any) -> httpx.Response:
    """File a decision with `changes` for a new OCMW."""
    ocmw = random_enterprise_number()
    return await client.post(
        "/v1/decisions",
        json=decision_body(ocmw=ocmw, **changes),
        headers=tokens.headers(Role.OCMW, ocmw),
    )


def codes(response: httpx.Response) -> list[tuple[str, str]]:
    return [(item["rule"], item["code"]) for item in response.json()["errors"]]


async def extend(
    client: httpx.AsyncClient, number: str, headers: dict[str, str], end: date, **more: str
) -> httpx.Response:
    return await client.post(
        f"/v1/decisions/{number}/extend",
        json={"end_date": end.isoformat(), **more},
        headers=headers,
    )


async def test_d10_an_urgent_aid_card_is_renewed_period_by_period_after_a_new_inquiry(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    start = day(-80)
    first_end = start + timedelta(days=59)
    number, headers, _ = await file_decision(
        client,
        tokens,
        **urgent_aid(start, first_end, social_inquiry_date=day(-82).isoformat()),
        **{"court_decision": True, "court_decision_reference": "2026/AR/77"},
    )
    within = await extend(client, number, headers, first_end + timedelta(days=10))
    within_end = date.fromisoformat(within.json()["period"]["end"])
    without_inquiry = await extend(client, number, headers, within_end + timedelta(days=40))
    same_inquiry = await extend(
        client,
        number,
        headers,
        within_end + timedelta(days=40),
        social_inquiry_date=day(-82).isoformat(),
    )
    too_long = await extend(
        client,
        number,
        headers,
        within_end + timedelta(days=100),
        social_inquiry_date=day(-1).isoformat(),
    )
    renewed = await extend(
        client,
        number,
        headers,
        within_end + timedelta(days=40),
        social_inquiry_date=day(-1).isoformat(),
    )

    assert within.status_code == 200, within.text
    assert within.json()["urgent_aid_period_start"] == start.isoformat()
    assert codes(without_inquiry) == [("D-10", "decision.urgent_aid_inquiry_required")]
    assert codes(same_inquiry) == [("D-10", "decision.urgent_aid_inquiry_not_new")]
    assert codes(too_long) == [("D-10", "decision.urgent_aid_too_long")]
    assert renewed.status_code == 200, renewed.text
    version = renewed.json()
    assert version["period"]["start"] == start.isoformat()
    assert version["decision_date"] == TODAY.isoformat()
    assert version["urgent_aid_period_start"] == (within_end + timedelta(days=1)).isoformat()
    assert version["social_inquiry_date"] == day(-1).isoformat()
    assert version["coverages"][0]["period"]["end"] == version["period"]["end"]


async def test_d10_a_card_runs_at_most_three_months_and_its_inquiry_is_not_in_the_future(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    too_long = await post(client, tokens, **urgent_aid(day(0), day(100)))
    future = await post(
        client, tokens, **urgent_aid(day(0), day(60), social_inquiry_date=day(1).isoformat())
    )

    assert set(codes(too_long)) == {("D-10", "decision.urgent_aid_too_long")}
    assert codes(future) == [("D-10", "decision.social_inquiry_in_future")]


async def test_d09_urgent_aid_renewals_stay_within_one_year_under_the_committee_date(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    start = day(-60)
    number, headers, _ = await file_decision(
        client, tokens, **urgent_aid(start, start + timedelta(days=80))
    )
    beyond_a_year = await extend(
        client,
        number,
        headers,
        start + timedelta(days=400),
        social_inquiry_date=day(0).isoformat(),
    )

    assert ("D-09", "decision.extension_beyond_one_year") in codes(beyond_a_year)


async def test_d11_the_transition_runs_from_insurable_since_and_is_extended_once(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    since = day(-30)
    start, end = day(-10), day(80)
    body = {
        "insurable": True,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "coverages": [coverage_body("general_medicine", start, end)],
    }
    extension = {"reason": "fund_processing", "explanation": "Le dossier est chez la mutualité"}
    missing = await post(client, tokens, **body)
    in_future = await post(client, tokens, **body, insurable_since=day(1).isoformat())
    exceeded = await post(client, tokens, **body, insurable_since=since.isoformat())
    number, headers, _ = await file_decision(
        client,
        tokens,
        **body,
        insurable_since=since.isoformat(),
        insurability_extension=extension,
    )
    beyond_extension = await extend(client, number, headers, day(200))
    medical = await post(
        client,
        tokens,
        **body,
        insurable_since=since.isoformat(),
        insurability_extension=extension | {"explanation": "Suivi diabète"},
    )

    assert codes(missing) == [("D-11", "decision.insurable_since_required")]
    assert codes(in_future) == [("D-11", "decision.insurable_since_in_future")]
    assert codes(exceeded) == [("D-11", "decision.insurability_transition_exceeded")]
    assert codes(beyond_extension) == [("D-11", "decision.insurability_extension_exceeded")]
    assert medical.status_code == 201
    assert [(w["rule"], w["code"]) for w in medical.json()["warnings"]] == [
        ("D-15", "comment.medical_information")
    ]
    assert "insurability_extension.explanation" in medical.json()["warnings"][0]["message"]
