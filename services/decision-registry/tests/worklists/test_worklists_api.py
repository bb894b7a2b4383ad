"""OCMW worklists (issue 10, item 10): what waits for the OCMW, its own only, paged."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from decision_registry.worklists import repository
from decision_registry.worklists.schemas import WorklistKind
from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.tenancy import Tenant
from servicekit.testing import TokenFactory

from ..decisions.factories import coverage_body, file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today
REGISTER = "crossroads-bank"


async def report(client: httpx.AsyncClient, tokens: TokenFactory, **mutation: Any) -> None:
    answer = await client.post(
        "/v1/mutations", json=mutation, headers=tokens.headers(Role.REGISTER, REGISTER)
    )
    assert answer.status_code == 202, answer.text


async def worklist(
    client: httpx.AsyncClient, kind: str, headers: dict[str, str], **params: int
) -> dict[str, Any]:
    answer = await client.get(f"/v1/worklists/{kind}", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _numbers(page: dict[str, Any]) -> list[str]:
    return [item["decision_number"] for item in page["items"]]


async def test_d08_decisions_suspended_by_mutations_wait_on_their_ocmws_list_only(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    operator = tokens.headers(Role.OPERATOR, "hziv")
    first, headers, body = await file_decision(client, tokens)
    second, other_headers, other_body = await file_decision(client, tokens)
    mutated_on = TODAY - timedelta(days=3)
    await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="residence_change",
        effective_date=mutated_on.isoformat(),
    )
    for kind, day in (("residence_change", 2), ("fund_affiliation", 1)):
        await report(
            client,
            tokens,
            ssin=other_body["ssin"],
            kind=kind,
            effective_date=(TODAY - timedelta(days=day)).isoformat(),
        )

    own = await worklist(client, "pending-mutations", headers)
    everyone = await worklist(client, "pending-mutations", operator)
    first_page = await worklist(client, "pending-mutations", operator, limit=1)
    second_page = await worklist(client, "pending-mutations", operator, limit=1, offset=1)
    await client.post(f"/v1/decisions/{first}/reactivate", headers=headers)
    after = await worklist(client, "pending-mutations", headers)

    [item] = own["items"]
    assert item == {
        "decision_number": first,
        "version": 2,
        "ocmw": body["ocmw"]["enterprise_number"],
        "person": {"ssin": body["ssin"], "last_name": "Janssens", "first_name": "Els"},
        "relevant_date": mutated_on.isoformat(),
        "rule": "D-08",
        "action": item["action"],
        "hand_over_id": None,
    }
    assert "reactivate" in item["action"]
    assert (own["total"], own["limit"], own["offset"]) == (1, 50, 0)
    assert _numbers(everyone) == [first, second]
    assert everyone["items"][1]["rule"] == "D-11"
    assert (_numbers(first_page), first_page["total"]) == ([first], 2)
    assert (_numbers(second_page), second_page["total"]) == ([second], 2)
    assert after["items"] == []
    assert other_headers != headers


async def test_d07_deaths_reported_by_the_register_wait_until_the_decision_is_stopped(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file_decision(client, tokens)
    death = TODAY - timedelta(days=2)
    await report(client, tokens, ssin=body["ssin"], kind="death", effective_date=death.isoformat())

    listed = await worklist(client, "deaths", headers)
    stranger = await worklist(
        client, "deaths", tokens.headers(Role.OCMW, random_enterprise_number())
    )
    await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": death.isoformat(), "reason": "Deceased"},
        headers=headers,
    )
    after = await worklist(client, "deaths", headers)

    [item] = listed["items"]
    assert (item["decision_number"], item["relevant_date"], item["rule"]) == (
        number,
        death.isoformat(),
        "D-07",
    )
    assert (death + timedelta(days=5)).isoformat() in item["action"]
    assert stranger["total"] == 0
    assert after["total"] == 0


async def test_d10_urgent_aid_cards_ending_within_14_days_are_listed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    start = TODAY - timedelta(days=50)
    ending, later = TODAY + timedelta(days=14), TODAY + timedelta(days=15)
    soon, headers, _ = await file_decision(client, tokens, ocmw=ocmw, **_urgent_aid(start, ending))
    await file_decision(client, tokens, ocmw=ocmw, **_urgent_aid(start, later))
    await file_decision(client, tokens, ocmw=ocmw)

    listed = await worklist(client, "urgent-aid-ending", headers)

    assert _numbers(listed) == [soon]
    assert (listed["items"][0]["relevant_date"], listed["items"][0]["rule"]) == (
        ending.isoformat(),
        "D-10",
    )


async def test_d11_insurability_transitions_ending_within_14_days_are_listed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    since = TODAY - timedelta(days=82)
    start, end = TODAY - timedelta(days=10), TODAY + timedelta(days=5)
    number, headers, _ = await file_decision(
        client,
        tokens,
        insurable=True,
        insurable_since=since.isoformat(),
        period={"start": start.isoformat(), "end": end.isoformat()},
        coverages=[coverage_body("general_medicine", start, end)],
    )

    listed = await worklist(client, "insurability-ending", headers)
    operator = await worklist(client, "insurability-ending", tokens.headers(Role.OPERATOR, "hziv"))

    [item] = listed["items"]
    assert item["decision_number"] == number
    assert item["rule"] == "D-11"
    assert TODAY <= date.fromisoformat(item["relevant_date"]) <= TODAY + timedelta(days=14)
    assert _numbers(operator) == [number]


async def test_d14_files_handed_over_wait_for_the_receiving_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, sender, _ = await file_decision(client, tokens)
    receiver_number = random_enterprise_number()
    receiver = tokens.headers(Role.OCMW, receiver_number)
    requested = await client.post(
        f"/v1/decisions/{number}/hand-over",
        json={
            "to": {"enterprise_number": receiver_number, "municipality_nis": "11002"},
            "reason": "Moved to Antwerpen",
        },
        headers=sender,
    )

    incoming = await worklist(client, "hand-overs", receiver)
    outgoing = await worklist(client, "hand-overs", sender)
    await client.post(f"/v1/hand-overs/{requested.json()['hand_over_id']}/accept", headers=receiver)
    answered = await worklist(client, "hand-overs", receiver)

    [item] = incoming["items"]
    assert (item["decision_number"], item["hand_over_id"], item["rule"]) == (
        number,
        requested.json()["hand_over_id"],
        "D-14",
    )
    assert item["relevant_date"] == (TODAY + timedelta(days=5)).isoformat()
    assert outgoing["total"] == 0
    assert answered["total"] == 0


async def test_worklists_are_paged_within_bounds_and_known_by_kind(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    headers = tokens.headers(Role.OCMW, random_enterprise_number())
    too_many = await client.get("/v1/worklists/deaths", params={"limit": 101}, headers=headers)
    negative = await client.get("/v1/worklists/deaths", params={"offset": -1}, headers=headers)
    unknown = await client.get("/v1/worklists/birthdays", headers=headers)
    gp = await client.get("/v1/worklists/deaths", headers=tokens.headers(Role.GP, "x"))

    assert [too_many.status_code, negative.status_code, unknown.status_code] == [422] * 3
    assert gp.status_code == 403


def _urgent_aid(start: date, end: date) -> dict[str, Any]:
    return {
        "category": "no_legal_residence",
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "coverages": [coverage_body("general_medicine", start, end)],
    }


async def test_d14_the_worklist_repository_gives_an_ocmw_its_own_rows_and_no_others(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, other = random_enterprise_number(), random_enterprise_number()
    start, ending = TODAY - timedelta(days=50), TODAY + timedelta(days=3)
    soon, _, _ = await file_decision(client, tokens, ocmw=ocmw, **_urgent_aid(start, ending))
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'decision-registry.db'}")

    readers = {
        "own": Tenant(Role.OCMW, ocmw),
        "other": Tenant(Role.OCMW, other),
        "a GP with its number": Tenant(Role.GP, ocmw),
        "operator": Tenant(Role.OPERATOR, "ops"),
    }
    try:
        async with database.reading() as session:
            seen = {
                label: [
                    row.decision_number
                    for row in (
                        await repository.page(
                            session,
                            kind=WorklistKind.URGENT_AID_ENDING,
                            tenant=tenant,
                            today=TODAY,
                            limit=50,
                            offset=0,
                        )
                    )[0]
                ]
                for label, tenant in readers.items()
            }
    finally:
        await database.dispose()

    assert seen == {"own": [soon], "other": [], "a GP with its number": [], "operator": [soon]}
