"""The dates a change is measured against, through HTTP: D-03 (narrowing from the day of the
change), D-04 (60 days back from the filing day), D-07 (the death window bounds the dates) and
D-08 (reactivation restores the suspended days)."""

from datetime import date, timedelta
from typing import Any

import httpx

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from .factories import coverage_body, decision_body, file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today
COURT = {"court_decision": True, "court_decision_reference": "2026/AR/1234"}


def iso(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def period_of(start: int, end: int) -> dict[str, str]:
    return {"start": iso(start), "end": iso(end)}


def gp(start: int, end: int, **levels: str) -> dict[str, Any]:
    cover = coverage_body(
        "general_medicine", TODAY + timedelta(days=start), TODAY + timedelta(days=end)
    )
    cover["ocmw_pays"] |= levels
    return cover


async def put(
    client: httpx.AsyncClient, number: str, headers: dict[str, str], body: dict[str, Any], v: int
) -> httpx.Response:
    return await client.put(
        f"/v1/decisions/{number}", json=body, headers=headers | {"If-Match": f'"{v}"'}
    )


def codes(response: httpx.Response) -> list[tuple[str, str]]:
    return [(item["rule"], item["code"]) for item in response.json()["errors"]]


async def test_d03_one_change_widens_back_in_time_and_narrows_from_today(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    pharmacy = coverage_body(
        "pharmaceutical", TODAY - timedelta(days=10), TODAY + timedelta(days=80)
    )
    number, headers, body = await file_decision(client, tokens, coverages=[gp(-10, 80), pharmacy])
    changed = body | {
        "coverages": [
            gp(-10, 80, patient_share="NOTHING"),
            pharmacy | {"period": period_of(-25, 80)},
        ],
        "period": period_of(-25, 80),
    }

    response = await put(client, number, headers, changed, 1)

    assert response.status_code == 200, response.text
    version = response.json()
    assert (version["effective_from"], version["narrowing_from"]) == (iso(-25), iso(0))
    [warning] = version["warnings"]
    assert (warning["rule"], warning["code"]) == ("D-03", "decision.narrowing_from_day_of_change")
    assert "coverages.general_medicine" in warning["message"]
    records = await published(DECISIONS, expected=2)
    event = parse_envelope(records[-1].value).data
    assert isinstance(event, DecisionVersionPublished)
    assert (event.effective_from, event.narrowing_from, event.filed_on) == (
        TODAY - timedelta(days=25),
        TODAY,
        TODAY,
    )
    assert event.person_id is not None


async def test_d04_the_60_days_count_back_from_the_filing_day_not_the_decision_date(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    old_decision = decision_body(
        ocmw=ocmw,
        decision_date=iso(-30),
        committee_date=iso(-30),
        period=period_of(-61, 30),
        coverages=[gp(-61, 30)],
    )
    refused = await client.post("/v1/decisions", json=old_decision, headers=headers)
    accepted = await client.post(
        "/v1/decisions",
        json=old_decision | {"period": period_of(-60, 30), "coverages": [gp(-60, 30)]},
        headers=headers,
    )

    assert refused.status_code == 422
    assert {(e["code"], e["field"]) for e in refused.json()["errors"]} == {
        ("decision.backdated_too_far", "period.start"),
        ("decision.backdated_too_far", "coverages.0.period.start"),
    }
    assert str(TODAY - timedelta(days=60)) in refused.json()["errors"][0]["message"]
    assert accepted.status_code == 201, accepted.text


async def test_d04_the_decision_date_is_not_in_the_future_nor_moved_later(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    future = await client.post(
        "/v1/decisions", json=decision_body(ocmw=ocmw, decision_date=iso(1)), headers=headers
    )
    number, headers, body = await file_decision(client, tokens, decision_date=iso(-5))
    later = await put(client, number, headers, body | {"decision_date": iso(-1)}, 1)
    earlier = await put(client, number, headers, body | {"decision_date": iso(-6)}, 1)

    assert codes(future) == [("D-04", "decision.decision_date_in_future")]
    assert codes(later) == [("D-04", "decision.decision_date_moved_later")]
    assert earlier.status_code == 200, earlier.text


async def test_d04_a_court_decision_lifts_the_limit_only_with_its_reference(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    body = decision_body(ocmw=ocmw, period=period_of(-90, 30), coverages=[gp(-90, 30)])
    without = await client.post(
        "/v1/decisions", json=body | {"court_decision": True}, headers=headers
    )
    with_reference = await client.post("/v1/decisions", json=body | COURT, headers=headers)

    assert ("D-04", "decision.court_reference_required") in codes(without)
    assert ("D-04", "decision.backdated_too_far") in codes(without)
    assert with_reference.status_code == 201, with_reference.text
    stored = with_reference.json()
    current = await client.get(f"/v1/decisions/{stored['decision_number']}", headers=headers)
    assert current.json()["court_decision_reference"] == COURT["court_decision_reference"]


async def test_d04_a_change_grants_new_days_at_most_60_days_back_better_terms_from_then(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file_decision(
        client,
        tokens,
        period=period_of(-90, 30),
        coverages=[gp(-90, 30)],
        income_above_living_wage=True,
        **COURT,
    )
    ordinary = body | {"court_decision": False, "court_decision_reference": None}
    earlier_cover = await put(
        client,
        number,
        headers,
        ordinary | {"period": period_of(-95, 30), "coverages": [gp(-95, 30)]},
        1,
    )
    higher_share = await put(
        client, number, headers, ordinary | {"income_above_living_wage": False}, 1
    )

    assert earlier_cover.status_code == 422
    assert {(e["code"], e["field"]) for e in earlier_cover.json()["errors"]} == {
        ("decision.backdated_too_far", "period.start"),
        ("decision.backdated_too_far", "coverages.0.period.start"),
    }
    assert higher_share.status_code == 200, higher_share.text
    assert higher_share.json()["refund_code"] == 2
    assert higher_share.json()["effective_from"] == iso(-60)


async def test_d07_a_stop_within_the_death_window_is_filed_long_after_it_reaching_back(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    death = TODAY - timedelta(days=40)
    last = death + timedelta(days=5)
    number, headers, body = await file_decision(
        client, tokens, period=period_of(-50, 30), coverages=[gp(-50, 30)]
    )
    await client.post(
        "/v1/mutations",
        json={"ssin": body["ssin"], "kind": "death", "effective_date": death.isoformat()},
        headers=tokens.headers(Role.REGISTER, "crossroads-bank"),
    )
    too_late = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": (last + timedelta(days=1)).isoformat(), "reason": "Deceased"},
        headers=headers,
    )
    stopped = await client.post(
        f"/v1/decisions/{number}/stop",
        json={"stop_date": last.isoformat(), "reason": "Deceased"},
        headers=headers,
    )

    assert codes(too_late) == [("D-07", "decision.stop_date_outside_death_window")]
    assert stopped.status_code == 200, stopped.text
    first_stopped = (last + timedelta(days=1)).isoformat()
    assert (stopped.json()["effective_from"], stopped.json()["narrowing_from"]) == (
        first_stopped,
        first_stopped,
    )


async def test_d07_a_change_or_extension_runs_no_later_than_five_days_after_the_death(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, headers, body = await file_decision(client, tokens)
    death = TODAY - timedelta(days=1)
    await client.post(
        "/v1/mutations",
        json={"ssin": body["ssin"], "kind": "death", "effective_date": death.isoformat()},
        headers=tokens.headers(Role.REGISTER, "crossroads-bank"),
    )
    extended = await client.post(
        f"/v1/decisions/{number}/extend", json={"end_date": iso(100)}, headers=headers
    )
    replaced = await put(client, number, headers, body | {"comment": "Funeral costs"}, 2)
    within = await put(
        client,
        number,
        headers,
        body | {"period": period_of(-10, 4), "coverages": [gp(-10, 4)]},
        2,
    )

    assert ("D-07", "decision.beyond_death_window") in codes(extended)
    assert ("D-07", "decision.beyond_death_window") in codes(replaced)
    assert within.status_code == 200, within.text
    assert within.json()["person"]["death_date"] == death.isoformat()


async def test_d08_reactivation_restores_the_days_since_the_mutation_suspended_it(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    number, headers, body = await file_decision(client, tokens)
    mutated_on = TODAY - timedelta(days=5)
    await client.post(
        "/v1/mutations",
        json={
            "ssin": body["ssin"],
            "kind": "residence_change",
            "effective_date": mutated_on.isoformat(),
        },
        headers=tokens.headers(Role.REGISTER, "crossroads-bank"),
    )
    reactivated = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)
    suspended = await client.post(
        f"/v1/decisions/{number}/suspend", json={"reason": "Inquiry"}, headers=headers
    )
    again = await client.post(f"/v1/decisions/{number}/reactivate", headers=headers)

    assert reactivated.status_code == 200, reactivated.text
    assert (reactivated.json()["effective_from"], reactivated.json()["narrowing_from"]) == (
        mutated_on.isoformat(),
        TODAY.isoformat(),
    )
    assert suspended.json()["effective_from"] == TODAY.isoformat()
    assert again.json()["effective_from"] == TODAY.isoformat()
    events = [parse_envelope(r.value).data for r in await published(DECISIONS, expected=5)]
    assert [(e.version, e.change_kind, e.effective_from) for e in events][:3] == [
        (1, "created", TODAY - timedelta(days=10)),
        (2, "mutation", mutated_on),
        (3, "reactivated", mutated_on),
    ]
