"""The registry on PostgreSQL (and Kafka): concurrent changes, unique numbers, ordered events."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from decision_registry.decisions import repository
from decision_registry.decisions.numbers import is_well_formed
from decision_registry.main import service
from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin
from servicekit.auth import Role
from servicekit.db import Database
from servicekit.service import build_service_bus
from servicekit.settings import ServiceSettings
from servicekit.testing import (
    KAFKA_ENV,
    TokenFactory,
    postgres_database,
    read_topic,
    required_env,
    running_service,
)

from .factories import decision_body

TODAY = date.today()  # noqa: DTZ011 - the service judges changes against its own today


@asynccontextmanager
async def registry_on_postgres(
    tmp_path: Path, tokens: TokenFactory, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    # Without Kafka the bus plays no part here: no relay or consumer, so nothing but the
    # requests touches the databases.
    if overrides.get("bus") != "kafka":
        overrides |= {"run_relay": False, "run_consumers": False}
    async with postgres_database("dr") as database_url:
        settings = settings_for(tmp_path, tokens, database_url=database_url, **overrides)
        async with running_service(service, settings) as client:
            yield client, database_url


def settings_for(tmp_path: Path, tokens: TokenFactory, **overrides: Any) -> ServiceSettings:
    """On PostgreSQL; on the SQL event log in `tmp_path` unless `overrides` say Kafka."""
    values: dict[str, Any] = {
        "bus": "sql",
        "bus_url": f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}",
        "var_dir": tmp_path,
        **tokens.settings_overrides(),
    }
    return service.settings_class(**(values | overrides))


async def file(
    client: httpx.AsyncClient, ocmw: str, headers: dict[str, str], **changes: Any
) -> dict[str, Any]:
    body = decision_body(ocmw=ocmw, **changes)
    response = await client.post("/v1/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json()) | {"ssin": body["ssin"]}


@pytest.mark.postgres
async def test_d01_concurrent_replaces_of_one_decision_one_wins_the_other_gets_412(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    async with registry_on_postgres(tmp_path, tokens) as (client, _):
        ocmw = random_enterprise_number()
        headers = tokens.headers(Role.OCMW, ocmw)
        body = decision_body(ocmw=ocmw)
        number = (await client.post("/v1/decisions", json=body, headers=headers)).json()[
            "decision_number"
        ]

        answers = await asyncio.gather(
            *(
                client.put(
                    f"/v1/decisions/{number}",
                    json=body | {"comment": f"Change {index}"},
                    headers=headers | {"If-Match": '"1"'},
                )
                for index in range(2)
            )
        )
        suspends = await asyncio.gather(
            *(
                client.post(
                    f"/v1/decisions/{number}/suspend",
                    json={"reason": f"Inquiry {index}"},
                    headers=headers,
                )
                for index in range(3)
            )
        )

        assert sorted(answer.status_code for answer in answers) == [200, 412]
        # A loser that read before the winner committed gets 412; one that read after it finds
        # the decision suspended already (D-08, 409). Either way exactly one suspension lands.
        codes = [answer.status_code for answer in suspends]
        assert codes.count(200) == 1
        assert set(codes) <= {200, 409, 412}
        versions = await client.get(f"/v1/decisions/{number}/versions", headers=headers)
        assert [item["change_kind"] for item in versions.json()] == [
            "created",
            "replaced",
            "suspended",
        ]


@pytest.mark.postgres
async def test_d01_the_version_guard_lets_only_the_first_of_two_open_transactions_move_on(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    async with registry_on_postgres(tmp_path, tokens) as (client, database_url):
        ocmw = random_enterprise_number()
        created = await file(client, ocmw, tokens.headers(Role.OCMW, ocmw))
        database = Database(database_url)
        try:
            async with database.transaction() as first:
                decision = await repository.get_by_number(first, created["decision_number"])
                assert decision is not None
                moved_first = await _advance(first, decision.id)
                second = asyncio.create_task(_advance_in_own_transaction(database, decision.id))
                await asyncio.sleep(0.3)
                assert not second.done(), "the second writer waits for the first"
            assert moved_first is True
            assert await second is False
        finally:
            await database.dispose()


async def _advance(session: Any, decision_id: int) -> bool:
    return await repository.advance_version(
        session,
        decision_id=decision_id,
        expected_version=1,
        new_version=2,
        columns={"status": "active"},
        at=datetime.now(UTC),
    )


async def _advance_in_own_transaction(database: Database, decision_id: int) -> bool:
    async with database.transaction() as session:
        return await _advance(session, decision_id)


@pytest.mark.postgres
async def test_d01_decision_numbers_are_unique_under_concurrent_creation(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    async with registry_on_postgres(tmp_path, tokens) as (client, _):
        ocmw = random_enterprise_number()
        headers = tokens.headers(Role.OCMW, ocmw)
        created = await asyncio.gather(*(file(client, ocmw, headers) for _ in range(12)))

        numbers = [item["decision_number"] for item in created]
        assert len(set(numbers)) == 12
        assert all(is_well_formed(number) for number in numbers)


@pytest.mark.kafka
@pytest.mark.postgres
async def test_d01_created_changed_and_stopped_each_version_published_once_in_order_on_kafka(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    prefix = f"dr{uuid.uuid4().hex[:8]}."
    overrides = {
        "bus": "kafka",
        "kafka_bootstrap_servers": required_env(KAFKA_ENV),
        "topic_prefix": prefix,
    }
    async with registry_on_postgres(tmp_path, tokens, **overrides) as (client, _):
        ocmw = random_enterprise_number()
        headers = tokens.headers(Role.OCMW, ocmw)
        body = decision_body(ocmw=ocmw)
        number = (await client.post("/v1/decisions", json=body, headers=headers)).json()[
            "decision_number"
        ]
        steps = [
            client.put(
                f"/v1/decisions/{number}",
                json=body | {"comment": "Housing: OCMW flat"},
                headers=headers | {"If-Match": '"1"'},
            ),
            client.post(
                f"/v1/decisions/{number}/extend",
                json={"end_date": (TODAY + timedelta(days=120)).isoformat()},
                headers=headers,
            ),
            client.post(
                f"/v1/decisions/{number}/suspend", json={"reason": "Inquiry"}, headers=headers
            ),
            client.post(f"/v1/decisions/{number}/reactivate", headers=headers),
            client.post(
                f"/v1/decisions/{number}/stop",
                json={"stop_date": TODAY.isoformat(), "reason": "Left the municipality"},
                headers=headers,
            ),
        ]
        for step in steps:
            answer = await step
            assert answer.status_code == 200, answer.text
        readable = [
            (await client.get(f"/v1/decisions/{number}/versions/{v}", headers=headers)).json()
            for v in range(1, 7)
        ]

        bus = build_service_bus(settings_for(tmp_path, tokens, **overrides))
        await bus.start()
        try:
            records = await read_topic(bus, DECISIONS, expected=6, patience=30.0)
        finally:
            await bus.close()

    events = [parse_envelope(record.value) for record in records]
    assert all(isinstance(event.data, DecisionVersionPublished) for event in events)
    assert {record.key for record in records} == {number}
    assert [event.data.version for event in events] == [1, 2, 3, 4, 5, 6]
    assert len({event.id for event in events}) == 6
    assert [event.data.change_kind for event in events] == [
        "created",
        "replaced",
        "extended",
        "suspended",
        "reactivated",
        "stopped",
    ]
    assert [item["version"] for item in readable] == [1, 2, 3, 4, 5, 6]
    for item, event in zip(readable, events, strict=True):
        assert item["status"] == event.data.status
        assert item["period"] == event.data.model_dump(mode="json")["period"]


@pytest.mark.postgres
async def test_d14_two_ocmws_filing_for_one_person_at_once_only_one_decision_is_filed(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    async with registry_on_postgres(tmp_path, tokens) as (client, _):
        known = random_ssin()
        earlier = random_enterprise_number()
        await file(
            client,
            earlier,
            tokens.headers(Role.OCMW, earlier),
            ssin=known,
            period={"start": _day(-30), "end": _day(-20)},
            coverages=[],
        )
        for ssin in (random_ssin(), random_ssin(), known):
            ocmws = [random_enterprise_number() for _ in range(2)]
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/v1/decisions",
                        json=decision_body(ocmw=ocmw, ssin=ssin),
                        headers=tokens.headers(Role.OCMW, ocmw),
                    )
                    for ocmw in ocmws
                )
            )

            assert sorted(answer.status_code for answer in answers) == [201, 422]
            [refused] = [answer for answer in answers if answer.status_code == 422]
            assert [(e["rule"], e["code"]) for e in refused.json()["errors"]] == [
                ("D-14", "decision.other_ocmw_competent")
            ]
            listed = await client.get(
                "/v1/decisions",
                params={"ssin": ssin},
                headers=tokens.headers(Role.OPERATOR, "hziv"),
            )
            person_ids = {item["person_id"] for item in listed.json()}
            assert len(person_ids) == 1


@pytest.mark.kafka
@pytest.mark.postgres
async def test_d08_d14_a_reactivation_and_a_hand_over_are_published_with_their_dates_on_kafka(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    prefix = f"dr{uuid.uuid4().hex[:8]}."
    overrides = {
        "bus": "kafka",
        "kafka_bootstrap_servers": required_env(KAFKA_ENV),
        "topic_prefix": prefix,
    }
    mutated_on = TODAY - timedelta(days=3)
    async with registry_on_postgres(tmp_path, tokens, **overrides) as (client, _):
        sender, receiver = random_enterprise_number(), random_enterprise_number()
        headers = tokens.headers(Role.OCMW, sender)
        created = await file(client, sender, headers)
        number, ssin = created["decision_number"], created["ssin"]
        steps = [
            client.post(
                "/v1/mutations",
                json={
                    "ssin": ssin,
                    "kind": "residence_change",
                    "effective_date": mutated_on.isoformat(),
                },
                headers=tokens.headers(Role.REGISTER, "crossroads-bank"),
            ),
            client.post(f"/v1/decisions/{number}/reactivate", headers=headers),
            client.post(
                f"/v1/decisions/{number}/hand-over",
                json={
                    "to": {"enterprise_number": receiver, "municipality_nis": "11002"},
                    "reason": "Moved to Antwerpen",
                },
                headers=headers,
            ),
        ]
        for step in steps:
            answer = await step
            assert answer.status_code in (200, 201, 202), answer.text
        hand_over_id = answer.json()["hand_over_id"]
        accepted = await client.post(
            f"/v1/hand-overs/{hand_over_id}/accept", headers=tokens.headers(Role.OCMW, receiver)
        )
        assert accepted.status_code == 200, accepted.text

        bus = build_service_bus(settings_for(tmp_path, tokens, **overrides))
        await bus.start()
        try:
            records = await read_topic(bus, DECISIONS, expected=4, patience=30.0)
        finally:
            await bus.close()

    events = [parse_envelope(record.value).data for record in records]
    assert all(isinstance(event, DecisionVersionPublished) for event in events)
    assert [(e.version, e.change_kind, e.status) for e in events] == [
        (1, "created", "active"),
        (2, "mutation", "suspended"),
        (3, "reactivated", "active"),
        (4, "handed_over", "active"),
    ]
    _, suspended, reactivated, handed_over = events
    assert (suspended.effective_from, suspended.narrowing_from) == (mutated_on, mutated_on)
    assert (reactivated.effective_from, reactivated.narrowing_from) == (mutated_on, TODAY)
    assert (handed_over.effective_from, handed_over.narrowing_from) == (TODAY, TODAY)
    assert [e.ocmw.enterprise_number for e in events] == [sender] * 3 + [receiver]
    assert all(e.filed_on == TODAY for e in events)
    assert len({e.person_id for e in events}) == 1
    assert events[0].person_id is not None


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


@pytest.mark.postgres
async def test_d08_d14_worklists_and_hand_over_conflicts_are_filtered_in_sql_on_postgres(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    async with registry_on_postgres(tmp_path, tokens) as (client, _):
        ocmw, receiver = random_enterprise_number(), random_enterprise_number()
        headers = tokens.headers(Role.OCMW, ocmw)
        register = tokens.headers(Role.REGISTER, "crossroads-bank")
        suspended = await file(client, ocmw, headers)
        deceased = await file(client, ocmw, headers)
        handed = await file(client, ocmw, headers)
        urgent = await file(
            client,
            ocmw,
            headers,
            category="no_legal_residence",
            period={"start": _day(-10), "end": _day(10)},
            coverages=[],
        )
        for kind, decision in (("fund_affiliation", suspended), ("death", deceased)):
            answer = await client.post(
                "/v1/mutations",
                json={"ssin": decision["ssin"], "kind": kind, "effective_date": _day(-1)},
                headers=register,
            )
            assert answer.status_code == 202, answer.text
        requested = await client.post(
            f"/v1/decisions/{handed['decision_number']}/hand-over",
            json={
                "to": {"enterprise_number": receiver, "municipality_nis": "11002"},
                "reason": "Moved",
            },
            headers=headers,
        )
        refused = await client.post(
            f"/v1/hand-overs/{requested.json()['hand_over_id']}/refuse",
            json={"reason": "Not here"},
            headers=tokens.headers(Role.OCMW, receiver),
        )
        assert refused.status_code == 200, refused.text

        lists = {
            kind: (await client.get(f"/v1/worklists/{kind}", headers=headers)).json()
            for kind in ("pending-mutations", "deaths", "urgent-aid-ending")
        }
        conflicts = await client.get(
            "/v1/hand-overs",
            params={"status": "conflict"},
            headers=tokens.headers(Role.OPERATOR, "pod-mi"),
        )

    def numbers(page: dict[str, Any]) -> list[str]:
        return [item["decision_number"] for item in page["items"]]

    assert numbers(lists["pending-mutations"]) == [suspended["decision_number"]]
    assert lists["pending-mutations"]["items"][0]["rule"] == "D-11"
    assert numbers(lists["deaths"]) == [deceased["decision_number"]]
    assert numbers(lists["urgent-aid-ending"]) == [urgent["decision_number"]]
    assert [item["decision_number"] for item in conflicts.json()["items"]] == [
        handed["decision_number"]
    ]
