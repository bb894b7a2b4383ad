"""The register feed reports mutations; every effect is a new, published decision version."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.components import MutationKind, PersonName
from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.register_mutations import RegisterMutationReported
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, eventually

from ..decisions.factories import file_decision as file

TODAY = date.today()  # noqa: DTZ011 - the service judges changes against its own today


async def report(
    client: httpx.AsyncClient, tokens: TokenFactory, **mutation: Any
) -> httpx.Response:
    return await client.post(
        "/v1/mutations", json=mutation, headers=tokens.headers(Role.REGISTER, "crossroads-bank")
    )


async def test_d08_a_name_change_is_applied_as_a_new_version_without_the_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    number, headers, body = await file(client, tokens)

    accepted = await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="name_change",
        effective_date=TODAY.isoformat(),
        new_name={"last_name": "Peeters", "first_name": "Els"},
    )
    repeated = await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="name_change",
        effective_date=TODAY.isoformat(),
        new_name={"last_name": "Peeters", "first_name": "Els"},
    )

    assert accepted.status_code == 202
    assert accepted.json()["decisions"] == [
        {"decision_number": number, "effect": "rename", "version": 2, "status": "active"}
    ]
    assert repeated.json()["decisions"][0]["effect"] == "already_applied"
    current = (await client.get(f"/v1/decisions/{number}", headers=headers)).json()
    assert (current["version"], current["change_kind"], current["status"]) == (
        2,
        "mutation",
        "active",
    )
    assert current["person"]["last_name"] == "Peeters"
    records = await published(DECISIONS, expected=3)
    assert [parse_envelope(record.value).data.version for record in records] == [1, 2]


async def test_only_the_register_feed_reports_mutations(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/mutations",
        json={"ssin": random_ssin(), "kind": "death", "effective_date": TODAY.isoformat()},
        headers=tokens.headers(Role.OCMW, random_enterprise_number()),
    )
    assert response.status_code == 403


async def test_d07_a_death_records_the_date_and_opens_the_five_day_window(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    death = TODAY - timedelta(days=2)

    await report(client, tokens, ssin=body["ssin"], kind="death", effective_date=death.isoformat())
    late_stop = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": (death + timedelta(days=6)).isoformat(), "reason": "Deceased"},
        headers=headers,
    )
    stop = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": death.isoformat(), "reason": "Deceased"},
        headers=headers,
    )

    assert late_stop.status_code == 422
    assert late_stop.json()["errors"][0]["rule"] == "D-07"
    assert stop.status_code == 200, stop.text
    assert stop.json()["person"]["death_date"] == death.isoformat()
    assert stop.json()["version"] == 3


async def test_d08_an_ssin_change_suspends_and_reactivation_takes_the_new_number(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    new_ssin = random_ssin()

    accepted = await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="ssin_change",
        effective_date=TODAY.isoformat(),
        new_ssin=new_ssin,
    )
    replace = await client.put(
        f"/v1/decisions/{number}", json=body, headers=headers | {"If-Match": '"2"'}
    )
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    found = await client.get("/v1/decisions", params={"ssin": new_ssin}, headers=headers)
    mutations = await client.get(f"/v1/decisions/{number}/mutations", headers=headers)

    assert accepted.json()["decisions"][0]["status"] == "suspended"
    assert replace.status_code == 409
    assert reactivated.status_code == 200
    assert reactivated.json()["ssin"] == new_ssin
    assert [item["decision_number"] for item in found.json()] == [number]
    assert mutations.json() == [
        {
            "kind": "ssin_change",
            "effective_date": TODAY.isoformat(),
            "status": "resolved",
            "version": 3,
        }
    ]


async def test_d11_a_fund_affiliation_suspends_and_the_decision_can_only_be_stopped(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)

    await report(
        client, tokens, ssin=body["ssin"], kind="fund_affiliation", effective_date=TODAY.isoformat()
    )
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    stopped = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Joined a health fund"},
        headers=headers,
    )

    assert reactivated.status_code == 409
    assert reactivated.json()["errors"][0]["rule"] == "D-11"
    assert stopped.status_code == 200
    assert stopped.json()["status"] == "stopped"


async def test_d08_several_pending_mutations_stop_the_day_before_the_first_and_cancel_the_rest(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    first, second = TODAY - timedelta(days=4), TODAY - timedelta(days=1)

    await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="residence_change",
        effective_date=second.isoformat(),
    )
    await report(
        client, tokens, ssin=body["ssin"], kind="fund_affiliation", effective_date=first.isoformat()
    )
    warned = (await client.get(f"/v1/decisions/{number}", headers=headers)).json()
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    wrong_day = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Register mutations"},
        headers=headers,
    )
    stopped = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": (first - timedelta(days=1)).isoformat(), "reason": "Register mutations"},
        headers=headers,
    )
    successor = await client.post(
        "/v1/decisions",
        json=body
        | {"period": {"start": first.isoformat(), "end": body["period"]["end"]}}
        | {"coverages": []},
        headers=headers,
    )
    mutations = await client.get(f"/v1/decisions/{number}/mutations", headers=headers)

    assert (warned["version"], warned["status"]) == (3, "suspended")
    assert [w["code"] for w in warned["warnings"]] == ["decision.several_pending_mutations"]
    assert reactivated.status_code == 409
    assert wrong_day.status_code == 422
    assert wrong_day.json()["errors"][0]["rule"] == "D-08"
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["period"]["end"] == (first - timedelta(days=1)).isoformat()
    assert successor.status_code == 201
    assert [(m["kind"], m["status"], m["version"]) for m in mutations.json()] == [
        ("fund_affiliation", "resolved", 4),
        ("residence_change", "cancelled", 4),
    ]


async def test_d08_the_register_topic_is_applied_like_the_http_feed(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    number, headers, body = await file(client, tokens)
    mutation = RegisterMutationReported(
        ssin=body["ssin"], kind=MutationKind.RESIDENCE_CHANGE, effective_date=TODAY
    )
    rename = RegisterMutationReported(
        ssin=body["ssin"],
        kind=MutationKind.NAME_CHANGE,
        effective_date=TODAY,
        new_name=PersonName(last_name="Claes", first_name="Els"),
    )

    await deliver(tmp_path, mutation, rename, mutation)
    current = await eventually(
        lambda: client.get(f"/v1/decisions/{number}", headers=headers),
        lambda response: response.json()["version"] >= 3,
    )
    http_repeat = await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="residence_change",
        effective_date=TODAY.isoformat(),
    )

    assert current.json()["status"] == "suspended"
    assert current.json()["person"]["last_name"] == "Claes"
    assert http_repeat.json()["decisions"][0]["effect"] == "already_applied"
    records = await published(DECISIONS, expected=4)
    events = [parse_envelope(record.value).data for record in records]
    assert all(isinstance(event, DecisionVersionPublished) for event in events)
    assert [(e.version, e.status) for e in events] == [
        (1, "active"),
        (2, "suspended"),
        (3, "suspended"),
    ]


async def test_d08_a_mutation_reported_under_the_new_ssin_reaches_the_suspended_decision(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    new_ssin = random_ssin()

    await report(
        client,
        tokens,
        ssin=body["ssin"],
        kind="ssin_change",
        effective_date=TODAY.isoformat(),
        new_ssin=new_ssin,
    )
    renamed = await report(
        client,
        tokens,
        ssin=new_ssin,
        kind="name_change",
        effective_date=TODAY.isoformat(),
        new_name={"last_name": "Wouters", "first_name": "Els"},
    )

    assert renamed.json()["decisions"] == [
        {"decision_number": number, "effect": "rename", "version": 3, "status": "suspended"}
    ]
    current = (await client.get(f"/v1/decisions/{number}", headers=headers)).json()
    assert (current["ssin"], current["person"]["last_name"]) == (body["ssin"], "Wouters")


async def test_d07_a_death_reported_before_the_birth_is_refused_without_a_500(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)

    refused = await report(
        client, tokens, ssin=body["ssin"], kind="death", effective_date="1980-01-01"
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "D-07"
    current = (await client.get(f"/v1/decisions/{number}", headers=headers)).json()
    assert current["version"] == 1
