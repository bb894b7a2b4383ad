"""D-14: an OCMW hands a file over; the receiver accepts or refuses; the funder settles."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..decisions.factories import file_decision

TODAY = date.today()  # noqa: DTZ011 - the service judges against its own today


def target(enterprise_number: str) -> dict[str, Any]:
    return {
        "enterprise_number": enterprise_number,
        "municipality_nis": "11002",
        "name_nl": "OCMW Antwerpen",
    }


async def hand_over(
    client: httpx.AsyncClient, number: str, headers: dict[str, str], to: str
) -> httpx.Response:
    return await client.post(
        f"/v1/decisions/{number}/hand-over",
        json={"to": target(to), "reason": "The person lives in Antwerpen since October"},
        headers=headers,
    )


async def test_d14_an_accepted_hand_over_passes_the_file_to_the_receiver_from_today(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    number, sender, body = await file_decision(client, tokens)
    receiver_number = random_enterprise_number()
    receiver = tokens.headers(Role.OCMW, receiver_number)
    stranger = tokens.headers(Role.OCMW, random_enterprise_number())

    requested = await hand_over(client, number, sender, receiver_number)
    repeated = await hand_over(client, number, sender, receiver_number)
    incoming = await client.get("/v1/hand-overs", headers=receiver)
    outgoing = await client.get("/v1/hand-overs", headers=sender)
    unrelated = await client.get("/v1/hand-overs", headers=stranger)
    hand_over_id = requested.json()["hand_over_id"]
    accepted = await client.post(f"/v1/hand-overs/{hand_over_id}/accept", headers=receiver)
    again = await client.post(f"/v1/hand-overs/{hand_over_id}/accept", headers=receiver)
    current = await client.get(f"/v1/decisions/{number}", headers=receiver)
    first = await client.get(f"/v1/decisions/{number}/versions/1", headers=receiver)
    former_owner = await client.get(f"/v1/decisions/{number}", headers=sender)

    assert requested.status_code == 201, requested.text
    assert (requested.json()["status"], requested.json()["deadline"]) == (
        "pending",
        (TODAY + timedelta(days=5)).isoformat(),
    )
    assert requested.json()["from_ocmw"] == body["ocmw"]["enterprise_number"]
    assert repeated.status_code == 200
    assert repeated.json()["hand_over_id"] == hand_over_id
    assert [item["hand_over_id"] for item in incoming.json()["items"]] == [hand_over_id]
    assert [item["hand_over_id"] for item in outgoing.json()["items"]] == [hand_over_id]
    assert unrelated.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["version"]) == ("accepted", 2)
    assert again.json() == accepted.json()
    assert current.status_code == 200
    view = current.json()
    assert (view["version"], view["change_kind"], view["ocmw"]["enterprise_number"]) == (
        2,
        "handed_over",
        receiver_number,
    )
    assert (view["effective_from"], view["narrowing_from"]) == (TODAY.isoformat(),) * 2
    assert first.json()["ocmw"]["enterprise_number"] == body["ocmw"]["enterprise_number"]
    assert former_owner.status_code == 404
    records = await published(DECISIONS, expected=3)
    events = [parse_envelope(record.value).data for record in records]
    assert all(isinstance(event, DecisionVersionPublished) for event in events)
    assert [
        (event.version, event.change_kind, event.ocmw.enterprise_number) for event in events
    ] == [
        (1, "created", body["ocmw"]["enterprise_number"]),
        (2, "handed_over", receiver_number),
    ]


async def test_d14_only_the_receiving_ocmw_answers_a_hand_over(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, sender, _ = await file_decision(client, tokens)
    receiver_number = random_enterprise_number()
    hand_over_id = (await hand_over(client, number, sender, receiver_number)).json()["hand_over_id"]

    by_sender = await client.post(f"/v1/hand-overs/{hand_over_id}/accept", headers=sender)
    by_stranger = await client.post(
        f"/v1/hand-overs/{hand_over_id}/accept",
        headers=tokens.headers(Role.OCMW, random_enterprise_number()),
    )
    read_by_stranger = await client.get(
        f"/v1/hand-overs/{hand_over_id}",
        headers=tokens.headers(Role.OCMW, random_enterprise_number()),
    )

    assert by_sender.status_code == 403
    assert (by_sender.json()["errors"][0]["rule"], by_sender.json()["errors"][0]["code"]) == (
        "D-14",
        "hand_over.not_receiver",
    )
    assert by_stranger.status_code == 404
    assert read_by_stranger.status_code == 404


async def test_d14_a_refused_hand_over_is_a_conflict_the_funder_settles(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, sender, body = await file_decision(client, tokens)
    receiver_number = random_enterprise_number()
    receiver = tokens.headers(Role.OCMW, receiver_number)
    operator = tokens.headers(Role.OPERATOR, "pod-mi")
    hand_over_id = (await hand_over(client, number, sender, receiver_number)).json()["hand_over_id"]

    early = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": receiver_number},
        headers=operator,
    )
    refused = await client.post(
        f"/v1/hand-overs/{hand_over_id}/refuse",
        json={"reason": "The person never lived here"},
        headers=receiver,
    )
    late_accept = await client.post(f"/v1/hand-overs/{hand_over_id}/accept", headers=receiver)
    conflicts = await client.get("/v1/hand-overs", params={"status": "conflict"}, headers=operator)
    third = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": random_enterprise_number()},
        headers=operator,
    )
    by_ocmw = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": receiver_number},
        headers=receiver,
    )
    settled = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": receiver_number},
        headers=operator,
    )
    again = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": receiver_number},
        headers=operator,
    )
    owned = await client.get(f"/v1/decisions/{number}", headers=receiver)

    assert early.status_code == 409
    assert early.json()["errors"][0]["code"] == "hand_over.not_in_conflict"
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["conflict"]) == ("refused", True)
    assert late_accept.status_code == 409
    assert hand_over_id in [item["hand_over_id"] for item in conflicts.json()["items"]]
    assert all(item["conflict"] for item in conflicts.json()["items"])
    assert third.status_code == 422
    assert third.json()["errors"][0]["code"] == "hand_over.settlement_party"
    assert by_ocmw.status_code == 403
    assert settled.status_code == 200, settled.text
    assert (settled.json()["status"], settled.json()["competent_ocmw"]) == (
        "settled",
        receiver_number,
    )
    assert settled.json()["version"] == 2
    assert again.json() == settled.json()
    assert (owned.json()["version"], owned.json()["ocmw"]["enterprise_number"]) == (
        2,
        receiver_number,
    )
    assert body["ocmw"]["enterprise_number"] != receiver_number


async def test_d14_a_hand_over_unanswered_after_five_days_is_a_conflict_the_sender_may_keep(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    number, sender, body = await file_decision(client, tokens)
    receiver_number = random_enterprise_number()
    operator = tokens.headers(Role.OPERATOR, "pod-mi")
    hand_over_id = (await hand_over(client, number, sender, receiver_number)).json()["hand_over_id"]
    await _requested_days_ago(tmp_path, hand_over_id, 6)

    conflicts = await client.get("/v1/hand-overs", params={"status": "conflict"}, headers=operator)
    pending = await client.get("/v1/hand-overs", params={"status": "pending"}, headers=operator)
    kept = await client.post(
        f"/v1/hand-overs/{hand_over_id}/settle",
        json={"competent_ocmw": body["ocmw"]["enterprise_number"]},
        headers=operator,
    )
    decision = await client.get(f"/v1/decisions/{number}", headers=sender)

    [item] = [i for i in conflicts.json()["items"] if i["hand_over_id"] == hand_over_id]
    assert (item["status"], item["conflict"]) == ("pending", True)
    assert item["deadline"] == (TODAY - timedelta(days=1)).isoformat()
    assert hand_over_id in [i["hand_over_id"] for i in pending.json()["items"]]
    assert kept.status_code == 200, kept.text
    assert (kept.json()["status"], kept.json()["version"]) == ("settled", None)
    assert decision.json()["version"] == 1


async def test_d14_a_file_goes_to_another_ocmw_once_at_a_time_and_not_when_stopped(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    number, sender, body = await file_decision(client, tokens)
    to_self = await hand_over(client, number, sender, body["ocmw"]["enterprise_number"])
    first = await hand_over(client, number, sender, random_enterprise_number())
    second = await hand_over(client, number, sender, random_enterprise_number())
    by_stranger = await hand_over(
        client,
        number,
        tokens.headers(Role.OCMW, random_enterprise_number()),
        random_enterprise_number(),
    )
    other, other_headers, _ = await file_decision(client, tokens)
    await client.post(
        f"/v1/decisions/{other}/stop",
        json={"stop_date": TODAY.isoformat(), "reason": "Left"},
        headers=other_headers,
    )
    stopped = await hand_over(client, other, other_headers, random_enterprise_number())

    assert to_self.status_code == 422
    assert to_self.json()["errors"][0]["code"] == "hand_over.to_self"
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["errors"][0]["code"] == "hand_over.already_pending"
    assert by_stranger.status_code == 404
    assert stopped.status_code == 409
    assert stopped.json()["errors"][0]["code"] == "hand_over.decision_stopped"


async def _requested_days_ago(workdir: Path, hand_over_id: str, days: int) -> None:
    """As if the hand-over had been requested `days` ago (the service reads its own clock)."""
    database = Database(f"sqlite+aiosqlite:///{workdir / 'decision-registry.db'}")
    try:
        async with database.transaction() as session:
            await session.execute(
                text(
                    "UPDATE hand_overs SET requested_on = :requested, deadline = :deadline"
                    " WHERE id = :id"
                ),
                {
                    "requested": TODAY - timedelta(days=days),
                    "deadline": TODAY - timedelta(days=days - 5),
                    "id": hand_over_id,
                },
            )
    finally:
        await database.dispose()
