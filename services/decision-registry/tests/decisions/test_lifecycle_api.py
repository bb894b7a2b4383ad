"""OCMW software changes its decisions: replace with If-Match, extend, suspend, reactivate, stop."""

from datetime import date, timedelta

import httpx

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from .factories import coverage_body, decision_body
from .factories import file_decision as file

TODAY = date.today()  # noqa: DTZ011 - the service judges changes against its own today


def with_version(headers: dict[str, str], version: int) -> dict[str, str]:
    return headers | {"If-Match": f'"{version}"'}


async def test_d01_a_replace_needs_the_version_read_and_gives_the_revised(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    changed = body | {"comment": "Rent is paid by the OCMW"}

    missing = await client.put(f"/v1/decisions/{number}", json=changed, headers=headers)
    replaced = await client.put(
        f"/v1/decisions/{number}", json=changed, headers=with_version(headers, 1)
    )
    stale = await client.put(
        f"/v1/decisions/{number}", json=changed, headers=with_version(headers, 1)
    )

    assert missing.status_code == 428
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["errors"][0] == {
        "rule": "D-01",
        "code": "decision.if_match_required",
        "message": missing.json()["errors"][0]["message"],
        "field": "If-Match",
    }
    assert replaced.status_code == 200
    assert replaced.headers["etag"] == '"2"'
    assert replaced.json()["version"] == 2
    assert replaced.json()["change_kind"] == "replaced"
    assert replaced.json()["comment"] == "Rent is paid by the OCMW"
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["rule"] == "D-01"
    current = await client.get(f"/v1/decisions/{number}", headers=headers)
    assert current.json()["version"] == 2


async def test_d03_a_replace_narrowing_past_days_is_filed_and_narrows_from_today_only(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    number, headers, body = await file(client, tokens)
    two_days_ago = TODAY - timedelta(days=2)
    narrowed = body | {
        "coverages": [coverage_body("general_medicine", TODAY - timedelta(days=10), two_days_ago)]
    }

    response = await client.put(
        f"/v1/decisions/{number}", json=narrowed, headers=with_version(headers, 1)
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    [warning] = changed["warnings"]
    assert (warning["rule"], warning["code"]) == ("D-03", "decision.narrowing_from_day_of_change")
    assert (changed["effective_from"], changed["narrowing_from"], changed["filed_on"]) == (
        TODAY.isoformat(),
        TODAY.isoformat(),
        TODAY.isoformat(),
    )
    records = await published(DECISIONS, expected=2)
    event = parse_envelope(records[-1].value).data
    assert isinstance(event, DecisionVersionPublished)
    assert (event.version, event.narrowing_from, event.filed_on) == (2, TODAY, TODAY)


async def test_d03_a_replace_may_widen_rights_retroactively(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    start = TODAY - timedelta(days=30)
    widened = body | {
        "period": {"start": start.isoformat(), "end": body["period"]["end"]},
        "coverages": [
            coverage_body("general_medicine", start, date.fromisoformat(body["period"]["end"]))
        ],
    }

    response = await client.put(
        f"/v1/decisions/{number}", json=widened, headers=with_version(headers, 1)
    )

    assert response.status_code == 200, response.text
    assert response.json()["effective_from"] == start.isoformat()


async def test_d04_backdating_beyond_60_days_is_refused_with_the_field(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    start = TODAY - timedelta(days=61)
    body = decision_body(
        ocmw=ocmw,
        period={"start": start.isoformat(), "end": TODAY.isoformat()},
        coverages=[],
    )
    refused = await client.post("/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw))
    court = await client.post(
        "/v1/decisions",
        json=body | {"court_decision": True, "court_decision_reference": "2026/AR/1234"},
        headers=tokens.headers(Role.OCMW, ocmw),
    )

    assert refused.status_code == 422
    assert [(e["rule"], e["field"]) for e in refused.json()["errors"]] == [("D-04", "period.start")]
    assert court.status_code == 201, court.text
    assert [w["rule"] for w in court.json()["warnings"]] == ["D-02", "D-05"]


async def test_d06_and_d10_findings_are_all_reported_at_once(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    start, end = TODAY, TODAY + timedelta(days=120)
    body = decision_body(
        ocmw=ocmw,
        category="no_legal_residence",
        period={"start": start.isoformat(), "end": end.isoformat()},
        coverages=[coverage_body("hospitalisation", start, end)],
    )
    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw)
    )

    assert response.status_code == 422
    rules = {(e["rule"], e["code"]) for e in response.json()["errors"]}
    assert ("D-06", "coverage.hospitalisation_without_ambulatory_in_hospital") in rules
    assert ("D-10", "decision.urgent_aid_too_long") in rules


async def test_d13_d15_a_medical_comment_is_filed_with_a_warning_kept_on_the_version(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    body = decision_body(ocmw=ocmw, comment="Suivi diabète et dialyse")
    created = await client.post("/v1/decisions", json=body, headers=headers)

    assert created.status_code == 201
    [warning] = created.json()["warnings"]
    assert (warning["rule"], warning["code"]) == ("D-15", "comment.medical_information")
    stored = await client.get(f"/v1/decisions/{created.json()['decision_number']}", headers=headers)
    assert stored.json()["warnings"] == [warning]


async def test_d09_extend_moves_the_end_and_the_coverages_with_it(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)
    new_end = date.fromisoformat(body["period"]["end"]) + timedelta(days=60)

    extended = await client.post(
        f"/v1/decisions/{number}/extend", json={"end_date": new_end.isoformat()}, headers=headers
    )
    too_far = await client.post(
        f"/v1/decisions/{number}/extend",
        json={"end_date": (TODAY + timedelta(days=400)).isoformat()},
        headers=headers,
    )

    assert extended.status_code == 200, extended.text
    assert extended.json()["version"] == 2
    assert extended.json()["change_kind"] == "extended"
    assert extended.json()["period"]["end"] == new_end.isoformat()
    assert extended.json()["coverages"][0]["period"]["end"] == new_end.isoformat()
    assert too_far.status_code == 422
    assert too_far.json()["errors"][0]["rule"] == "D-09"


async def test_d08_a_suspended_decision_is_only_reactivated_or_stopped(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file(client, tokens)

    suspended = await client.post(
        f"/v1/decisions/{number}/suspend",
        json={"reason": "Social inquiry pending"},
        headers=headers,
    )
    replaced = await client.put(
        f"/v1/decisions/{number}", json=body, headers=with_version(headers, 2)
    )
    extended = await client.post(
        f"/v1/decisions/{number}/extend",
        json={"end_date": (TODAY + timedelta(days=100)).isoformat()},
        headers=headers,
    )
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    again = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)

    assert suspended.status_code == 200
    assert (suspended.json()["status"], suspended.json()["reason"]) == (
        "suspended",
        "Social inquiry pending",
    )
    assert replaced.status_code == 409
    assert replaced.json()["errors"][0]["rule"] == "D-08"
    assert extended.status_code == 409
    assert reactivated.status_code == 200
    assert (reactivated.json()["status"], reactivated.json()["version"]) == ("active", 3)
    assert again.status_code == 409


async def test_d03_a_stop_cannot_reach_into_the_past(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, _ = await file(client, tokens)

    past = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": (TODAY - timedelta(days=5)).isoformat(), "reason": "Moved away"},
        headers=headers,
    )
    stopped = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Moved away"},
        headers=headers,
    )
    after = await client.post(
        f"/v1/decisions/{number}/suspend", json={"reason": "x"}, headers=headers
    )

    assert past.status_code == 422
    assert past.json()["errors"][0]["rule"] == "D-03"
    assert stopped.status_code == 200
    assert stopped.json()["status"] == "stopped"
    assert stopped.json()["period"]["end"] == TODAY.isoformat()
    assert stopped.json()["coverages"][0]["period"]["end"] == TODAY.isoformat()
    assert after.status_code == 409


async def test_d07_after_a_death_the_stop_date_lies_in_the_five_day_window(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    death = TODAY - timedelta(days=3)
    last = death + timedelta(days=5)
    number, headers, _ = await file(
        client,
        tokens,
        period={"start": (TODAY - timedelta(days=10)).isoformat(), "end": last.isoformat()},
        coverages=[coverage_body("general_medicine", TODAY - timedelta(days=10), last)],
        person={
            "last_name": "Janssens",
            "first_name": "Els",
            "birth_date": "1990-02-03",
            "sex": "female",
            "death_date": death.isoformat(),
        },
    )
    outside = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": (death - timedelta(days=1)).isoformat(), "reason": "Deceased"},
        headers=headers,
    )
    inside = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": death.isoformat(), "reason": "Deceased"},
        headers=headers,
    )

    assert outside.status_code == 422
    assert {e["rule"] for e in outside.json()["errors"]} == {"D-07"}
    assert inside.status_code == 200, inside.text


async def test_d07_a_decision_for_a_deceased_person_is_filed_later_within_the_death_window(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    death = TODAY - timedelta(days=30)
    start, last = death - timedelta(days=20), death + timedelta(days=5)
    person = {
        "last_name": "Janssens",
        "first_name": "Els",
        "birth_date": "1990-02-03",
        "sex": "female",
        "death_date": death.isoformat(),
    }
    body = decision_body(
        ocmw=ocmw,
        person=person,
        period={"start": start.isoformat(), "end": last.isoformat()},
        coverages=[coverage_body("general_medicine", start, last)],
    )
    headers = tokens.headers(Role.OCMW, ocmw)
    beyond = await client.post(
        "/v1/decisions",
        json=body | {"period": {"start": start.isoformat(), "end": TODAY.isoformat()}},
        headers=headers,
    )
    within = await client.post("/v1/decisions", json=body, headers=headers)

    assert beyond.status_code == 422
    assert [(e["rule"], e["code"], e["field"]) for e in beyond.json()["errors"]] == [
        ("D-07", "decision.beyond_death_window", "period.end")
    ]
    assert within.status_code == 201, within.text


async def test_d14_another_ocmw_cannot_change_a_decision_it_does_not_see(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, _, body = await file(client, tokens)
    stranger = tokens.headers(Role.OCMW, random_enterprise_number())

    put = await client.put(f"/v1/decisions/{number}", json=body, headers=with_version(stranger, 1))
    stop = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "x"},
        headers=stranger,
    )
    gp = await client.get(f"/v1/decisions/{number}", headers=tokens.headers(Role.GP, "x"))

    assert put.status_code == 404
    assert stop.status_code == 404
    assert stop.json()["errors"][0]["rule"] == "D-14"
    assert gp.status_code == 403


async def test_d01_created_changed_and_stopped_versions_are_each_readable_and_published_in_order(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    number, headers, body = await file(client, tokens)
    await client.put(
        f"/v1/decisions/{number}",
        json=body | {"comment": "Housing: OCMW flat"},
        headers=with_version(headers, 1),
    )
    await client.post(
        f"/v1/decisions/{number}/suspend", json={"reason": "Inquiry"}, headers=headers
    )
    await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Left the municipality"},
        headers=headers,
    )

    versions = (await client.get(f"/v1/decisions/{number}/versions", headers=headers)).json()
    records = await published(DECISIONS, expected=5)
    events = [parse_envelope(record.value).data for record in records]

    kinds = ["created", "replaced", "suspended", "reactivated", "stopped"]
    assert [(v["version"], v["change_kind"]) for v in versions] == list(
        zip(range(1, 6), kinds, strict=True)
    )
    assert all(isinstance(event, DecisionVersionPublished) for event in events)
    assert [(e.version, e.change_kind) for e in events] == list(
        zip(range(1, 6), kinds, strict=True)
    )
    for version in range(1, 6):
        stored = await client.get(f"/v1/decisions/{number}/versions/{version}", headers=headers)
        assert stored.json()["version"] == version
        assert stored.json() | {"refund_policy_version": None, "reason": None} == (
            events[version - 1].model_dump(mode="json")
            | {"refund_policy_version": None, "reason": None}
        )
