"""D-08: one person under every number. A new number the register reports is taken over when
the OCMW deals with the mutation; decisions, overlaps (D-14) and reads follow the person."""

import re
from datetime import date, timedelta
from typing import Any

import httpx

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..decisions.factories import coverage_body, decision_body, file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today


def spanning(start: int, end: int) -> dict[str, Any]:
    first, last = TODAY + timedelta(days=start), TODAY + timedelta(days=end)
    return {
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "coverages": [coverage_body("general_medicine", first, last)],
    }


async def renumber(
    client: httpx.AsyncClient, tokens: TokenFactory, old: str, new: str
) -> httpx.Response:
    return await client.post(
        "/v1/mutations",
        json={
            "ssin": old,
            "kind": "ssin_change",
            "effective_date": TODAY.isoformat(),
            "new_ssin": new,
        },
        headers=tokens.headers(Role.REGISTER, "crossroads-bank"),
    )


async def post(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, **changes: Any
) -> httpx.Response:
    return await client.post(
        "/v1/decisions",
        json=decision_body(ocmw=ocmw, **changes),
        headers=tokens.headers(Role.OCMW, ocmw),
    )


async def test_d08_the_person_keeps_one_identity_across_a_number_change(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    old, new = random_ssin(), random_ssin()
    ocmw = random_enterprise_number()
    number, headers, _ = await file_decision(
        client, tokens, ocmw=ocmw, ssin=old, **spanning(-10, 30)
    )

    await renumber(client, tokens, old, new)
    suspended = (await client.get(f"/v1/decisions/{number}", headers=headers)).json()
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    by_old = await client.get("/v1/decisions", params={"ssin": old}, headers=headers)
    by_new = await client.get("/v1/decisions", params={"ssin": new}, headers=headers)
    other_ocmw = await post(client, tokens, random_enterprise_number(), ssin=new, **spanning(0, 5))
    under_old = await post(client, tokens, ocmw, ssin=old, **spanning(31, 60))
    under_new = await post(client, tokens, ocmw, ssin=new, **spanning(31, 60))

    person_id = suspended["person_id"]
    assert re.fullmatch(r"P[0-9a-f]{32}", person_id)
    assert (suspended["status"], suspended["ssin"], suspended["pending_ssin"]) == (
        "suspended",
        old,
        new,
    )
    assert reactivated.status_code == 200, reactivated.text
    version = reactivated.json()
    assert (version["ssin"], version["replaced_ssins"], version["pending_ssin"]) == (
        new,
        [old],
        None,
    )
    assert version["person_id"] == person_id
    assert [item["decision_number"] for item in by_old.json()] == [number]
    assert [item["decision_number"] for item in by_new.json()] == [number]
    assert other_ocmw.json()["errors"][0]["code"] == "decision.other_ocmw_competent"
    assert [(e["rule"], e["code"]) for e in under_old.json()["errors"]] == [
        ("D-08", "person.number_replaced")
    ]
    assert new in under_old.json()["errors"][0]["message"]
    assert under_new.status_code == 201, under_new.text
    events = [parse_envelope(r.value).data for r in await published(DECISIONS, expected=4)]
    assert all(isinstance(event, DecisionVersionPublished) for event in events)
    assert {event.person_id for event in events} == {person_id}
    assert all(event.filed_on == TODAY for event in events)


async def test_d08_two_records_of_one_person_are_merged_when_the_register_links_them(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    old, new = random_ssin(), random_ssin()
    first, first_headers, _ = await file_decision(client, tokens, ssin=old, **spanning(-10, 30))
    second, second_headers, _ = await file_decision(client, tokens, ssin=new, **spanning(31, 60))

    merged = await renumber(client, tokens, old, new)
    repeated = await renumber(client, tokens, old, new)
    first_now = (await client.get(f"/v1/decisions/{first}", headers=first_headers)).json()
    second_now = (await client.get(f"/v1/decisions/{second}", headers=second_headers)).json()
    both = await client.get(
        "/v1/decisions", params={"ssin": old}, headers=tokens.headers(Role.OPERATOR, "hziv")
    )

    assert merged.status_code == 202
    assert [(d["decision_number"], d["effect"]) for d in merged.json()["decisions"]] == [
        (first, "suspend"),
        (second, "merge_identity"),
    ]
    assert {d["effect"] for d in repeated.json()["decisions"]} == {"already_applied"}
    assert first_now["person_id"] == second_now["person_id"]
    assert (second_now["version"], second_now["change_kind"], second_now["status"]) == (
        2,
        "mutation",
        "active",
    )
    assert second_now["effective_from"] >= second_now["period"]["start"]
    assert [item["decision_number"] for item in both.json()] == [first, second]
    events = [parse_envelope(r.value).data for r in await published(DECISIONS, expected=4)]
    assert len(events) == 4
    assert {e.person_id for e in events if e.version == 2} == {first_now["person_id"]}


async def test_d08_a_number_change_without_an_open_decision_is_taken_over_at_once(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    old, new = random_ssin(), random_ssin()
    ocmw = random_enterprise_number()
    number, headers, _ = await file_decision(
        client, tokens, ocmw=ocmw, ssin=old, **spanning(-10, 0)
    )
    await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Left"},
        headers=headers,
    )

    changed = await renumber(client, tokens, old, new)
    under_old = await post(client, tokens, ocmw, ssin=old, **spanning(1, 30))
    under_new = await post(client, tokens, ocmw, ssin=new, **spanning(1, 30))
    listed = await client.get("/v1/decisions", params={"ssin": new}, headers=headers)

    assert changed.json()["decisions"] == []
    assert under_old.json()["errors"][0]["code"] == "person.number_replaced"
    assert under_new.status_code == 201, under_new.text
    assert [item["decision_number"] for item in listed.json()] == [
        number,
        under_new.json()["decision_number"],
    ]
    assert listed.json()[1]["person_id"] == listed.json()[0]["person_id"]


async def test_d08_a_stop_that_settles_a_number_change_takes_the_new_number_over(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    old, new = random_ssin(), random_ssin()
    number, headers, _ = await file_decision(client, tokens, ssin=old)

    await renumber(client, tokens, old, new)
    stopped = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Left the municipality"},
        headers=headers,
    )

    assert stopped.status_code == 200, stopped.text
    assert (stopped.json()["ssin"], stopped.json()["replaced_ssins"]) == (new, [old])
