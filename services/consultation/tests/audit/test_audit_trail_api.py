"""C-03: every consultation kept with who, when, for whom and the answer; operators search it,
a provider sees only its own, an OCMW those about the people it covers."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually, revised

CARE_DAY = "2025-02-14"
OPERATOR = "operator-1"


async def consult(
    client: httpx.AsyncClient, tokens: TokenFactory, ssin: str, gp: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/consultations",
        json={"ssin": ssin, "date": CARE_DAY, **extra},
        headers=tokens.headers(Role.GP, gp),
    )
    assert response.status_code == 201
    return dict(response.json())


async def trail(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> httpx.Response:
    return await client.get("/v1/consultations", params=params, headers=headers)


async def test_c03_operators_find_consultations_by_person_and_by_provider(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, gp, other_gp = random_ssin(), random_gp_riziv(), random_gp_riziv()
    first = await consult(client, tokens, ssin, gp, care_type="general_medicine")
    second = await consult(client, tokens, ssin, other_gp)
    elsewhere = await consult(client, tokens, random_ssin(), gp)
    operator = tokens.headers(Role.OPERATOR, OPERATOR)

    by_person = (await trail(client, operator, ssin=ssin)).json()
    by_provider = (await trail(client, operator, provider=gp)).json()

    assert by_person["total"] == 2
    assert [item["consultation_id"] for item in by_person["items"]] == [
        second["consultation_id"],
        first["consultation_id"],
    ]  # newest first
    [oldest] = [item for item in by_person["items"] if item["provider"] == gp]
    assert oldest["ssin"] == ssin
    assert oldest["date"] == CARE_DAY
    assert oldest["care_type"] == "general_medicine"
    assert oldest["answer"] == first
    assert datetime.fromisoformat(oldest["consulted_at"]) <= datetime.now(UTC)
    assert {item["consultation_id"] for item in by_provider["items"]} == {
        first["consultation_id"],
        elsewhere["consultation_id"],
    }


async def test_c03_the_trail_keeps_to_the_period_and_pages(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()
    made = [await consult(client, tokens, ssin, gp) for _ in range(5)]
    operator = tokens.headers(Role.OPERATOR, OPERATOR)
    today = datetime.now(UTC).date()
    tomorrow = (today + timedelta(days=1)).isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()

    first_page = (await trail(client, operator, ssin=ssin, limit=2)).json()
    last_page = (await trail(client, operator, ssin=ssin, limit=2, offset=4)).json()
    this_period = await trail(
        client, operator, ssin=ssin, **{"from": today.isoformat(), "to": today.isoformat()}
    )
    later = await trail(client, operator, ssin=ssin, **{"from": tomorrow})
    earlier = await trail(client, operator, ssin=ssin, to=yesterday)

    assert (first_page["total"], len(first_page["items"])) == (5, 2)
    assert [item["consultation_id"] for item in last_page["items"]] == [made[0]["consultation_id"]]
    assert this_period.json()["total"] == 5
    assert later.json()["total"] == 0
    assert earlier.json()["total"] == 0


async def test_c03_a_gp_sees_only_their_own_consultations(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, gp, other_gp = random_ssin(), random_gp_riziv(), random_gp_riziv()
    mine = await consult(client, tokens, ssin, gp)
    theirs = await consult(client, tokens, ssin, other_gp)
    headers = tokens.headers(Role.GP, gp)

    listed = await trail(client, headers, ssin=ssin)
    asked_for_other = await trail(client, headers, provider=other_gp)
    own_record = await client.get(f"/v1/consultations/{mine['consultation_id']}", headers=headers)
    other_record = await client.get(
        f"/v1/consultations/{theirs['consultation_id']}", headers=headers
    )

    assert [item["consultation_id"] for item in listed.json()["items"]] == [mine["consultation_id"]]
    assert asked_for_other.status_code == 403
    assert asked_for_other.json()["errors"][0]["rule"] == "C-03"
    assert own_record.status_code == 200
    assert own_record.json()["answer"] == mine
    assert other_record.status_code == 404


async def test_c03_an_ocmw_reads_the_consultations_about_the_people_it_covers(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    decision = example_decision_version_published()
    covering = decision.ocmw.enterprise_number
    await deliver(tmp_path, decision)
    gp = random_gp_riziv()
    about_them = await eventually(
        lambda: consult(client, tokens, decision.ssin, gp), lambda answer: answer["covered"]
    )
    about_someone_else = await consult(client, tokens, random_ssin(), gp)
    own, other = tokens.headers(Role.OCMW, covering), tokens.headers(Role.OCMW, "0212345678")

    listed = (await trail(client, own, provider=gp)).json()
    by_person = (await trail(client, own, ssin=decision.ssin)).json()
    record = await client.get(f"/v1/consultations/{about_them['consultation_id']}", headers=own)
    other_listed = (await trail(client, other, ssin=decision.ssin)).json()
    other_record = await client.get(
        f"/v1/consultations/{about_them['consultation_id']}", headers=other
    )
    unrelated = await client.get(
        f"/v1/consultations/{about_someone_else['consultation_id']}", headers=own
    )

    assert [item["consultation_id"] for item in listed["items"]] == [about_them["consultation_id"]]
    assert by_person["total"] == 1
    assert record.status_code == 200
    assert record.json()["provider"] == gp
    assert other_listed["total"] == 0
    assert other_record.status_code == 404
    assert unrelated.status_code == 404


async def test_c01_c03_the_trail_keeps_what_was_answered_then_not_what_holds_now(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    active = example_decision_version_published()
    suspended = revised(active, version=2, status="suspended", change_kind="suspended")
    gp = random_gp_riziv()
    await deliver(tmp_path, active)
    covered = await eventually(
        lambda: consult(client, tokens, active.ssin, gp), lambda answer: answer["covered"]
    )
    await deliver(tmp_path, suspended)
    refused = await eventually(
        lambda: consult(client, tokens, active.ssin, gp), lambda answer: not answer["covered"]
    )

    assert refused["decision_number"] == active.decision_number
    assert refused["version"] == 2
    assert refused["agreement_number"] is None
    assert [(r["rule"], r["code"]) for r in refused["reasons"]] == [("D-08", "decision.suspended")]
    listed = await trail(client, tokens.headers(Role.OPERATOR, OPERATOR), ssin=active.ssin)
    answers = {item["consultation_id"]: item["answer"] for item in listed.json()["items"]}
    assert answers[covered["consultation_id"]] == covered
    assert answers[refused["consultation_id"]] == refused


async def test_c03_a_token_naming_no_provider_may_not_consult(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/consultations",
        json={"ssin": random_ssin(), "date": CARE_DAY},
        headers=tokens.headers(Role.GP, "gp-without-number"),
    )

    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "C-03"


async def test_d08_i05b_a_replaced_number_is_refused_and_the_trail_follows_the_person(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    bis, register = random_ssin(), random_ssin()
    under_bis = example_decision_version_published(ssin=bis, person_id="P" + bis.zfill(32))
    renumbered = revised(
        under_bis, version=2, ssin=register, replaced_ssins=[bis], change_kind="reactivated"
    )
    await deliver(tmp_path, under_bis)
    await eventually(lambda: consult(client, tokens, bis, gp), lambda answer: answer["covered"])
    await deliver(tmp_path, renumbered, key=under_bis.decision_number)
    old_number = await eventually(
        lambda: consult(client, tokens, bis, gp), lambda answer: not answer["covered"]
    )
    new_number = await consult(client, tokens, register, gp)

    operator = tokens.headers(Role.OPERATOR, OPERATOR)
    by_new = (await trail(client, operator, ssin=register)).json()
    by_old = (await trail(client, operator, ssin=bis)).json()

    assert [(reason["rule"], reason["code"]) for reason in old_number["reasons"]] == [
        ("I-05b", "beneficiary.number_replaced")
    ]
    assert old_number["agreement_number"] is None
    assert new_number["covered"] is True
    assert new_number["version"] == 2
    # Every consultation about the person, under both numbers, whichever number is asked.
    assert by_new["total"] == by_old["total"] >= 3
    assert {item["ssin"] for item in by_new["items"]} == {bis, register}


async def test_c03_the_calendars_last_day_as_a_bound_is_answered_not_failed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin = random_ssin()
    await consult(client, tokens, ssin, random_gp_riziv())

    listed = await trail(
        client, tokens.headers(Role.OPERATOR, OPERATOR), ssin=ssin, to="9999-12-31"
    )

    assert listed.status_code == 200
    assert listed.json()["total"] == 1
