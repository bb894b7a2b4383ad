"""C-04: every read of a certificate by someone other than its author is recorded (who, role,
when, which certificates, which endpoint, the person); operators search the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually

from ..certificates.test_certificates_api import certificate, file

PATH = "/v1/urgent-aid-certificates"
OPERATOR = "operator-1"


async def reads(client: httpx.AsyncClient, tokens: TokenFactory, **params: Any) -> dict[str, Any]:
    response = await client.get(
        f"{PATH}/reads", params=params, headers=tokens.headers(Role.OPERATOR, OPERATOR)
    )
    assert response.status_code == 200
    return dict(response.json())


async def test_c04_a_gps_search_of_another_gps_certificate_is_recorded_not_the_authors_own(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, author, other_gp = random_ssin(), random_gp_riziv(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    own = tokens.headers(Role.GP, author)
    await client.get(PATH, params={"ssin": ssin}, headers=own)
    await client.get(f"{PATH}/{number}", headers=own)
    await client.get(f"{PATH}/{number}/versions", headers=own)
    before = await reads(client, tokens, ssin=ssin)

    searched = await client.get(
        PATH, params={"ssin": ssin}, headers=tokens.headers(Role.GP, other_gp)
    )
    after = await reads(client, tokens, ssin=ssin)

    assert before == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert [item["certificate_number"] for item in searched.json()] == [number]
    [record] = after["items"]
    assert (record["reader"], record["reader_role"], record["endpoint"]) == (
        other_gp,
        "gp",
        "search",
    )
    assert (record["ssin"], record["certificate_numbers"]) == (ssin, [number])
    assert datetime.fromisoformat(record["read_at"]) <= datetime.now(UTC)


async def test_c04_each_kind_of_read_by_others_is_recorded_with_its_endpoint(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    covering = example_decision_version_published()
    ocmw, reader_gp = covering.ocmw.enterprise_number, random_gp_riziv()
    await deliver(tmp_path, covering)
    body = certificate(covering.ssin, valid_until="2025-03-31")
    mine_number = (await file(client, tokens, reader_gp, body)).json()["certificate_number"]
    theirs = await file(client, tokens, random_gp_riziv(), body)
    theirs_number = theirs.json()["certificate_number"]
    by_person = {"ssin": covering.ssin}
    await eventually(
        lambda: client.get(PATH, params=by_person, headers=tokens.headers(Role.OCMW, ocmw)),
        lambda response: response.status_code == 200,
    )

    await client.get(PATH, params=by_person, headers=tokens.headers(Role.GP, reader_gp))
    await client.get(
        PATH, params=by_person, headers=tokens.headers(Role.OCMW, ocmw, Accept="text/csv")
    )
    operator = tokens.headers(Role.OPERATOR, OPERATOR)
    await client.get(f"{PATH}/{theirs_number}", headers=operator)
    await client.get(f"{PATH}/{mine_number}/versions", headers=operator)
    trail = await reads(client, tokens, ssin=covering.ssin)

    found = [
        (item["reader"], item["endpoint"], item["certificate_numbers"]) for item in trail["items"]
    ]
    both = sorted([mine_number, theirs_number])
    assert found[:4] == [  # newest first, after the OCMW's searches while waiting
        (OPERATOR, "versions", [mine_number]),
        (OPERATOR, "certificate", [theirs_number]),
        (ocmw, "download", both),
        (reader_gp, "search", [theirs_number]),  # the GP's own certificate left out
    ]
    assert {item["endpoint"] for item in trail["items"][4:]} == {"search"}


async def test_c04_operators_page_and_filter_the_read_trail(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, author, reader = random_ssin(), random_gp_riziv(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    for _ in range(3):
        await client.get(f"{PATH}/{number}", headers=tokens.headers(Role.GP, reader))
    await client.get(f"{PATH}/{number}", headers=tokens.headers(Role.OPERATOR, "operator-2"))
    today = datetime.now(UTC).date()

    first_page = await reads(client, tokens, ssin=ssin, limit=2)
    last_page = await reads(client, tokens, ssin=ssin, limit=2, offset=2)
    by_reader = await reads(client, tokens, reader=reader)
    day, next_day = today.isoformat(), (today + timedelta(days=1)).isoformat()
    today_only = await reads(client, tokens, ssin=ssin, **{"from": day, "to": day})
    tomorrow = await reads(client, tokens, ssin=ssin, **{"from": next_day})
    far_future = await reads(client, tokens, ssin=ssin, to="9999-12-31")
    as_gp = await client.get(f"{PATH}/reads", headers=tokens.headers(Role.GP, author))

    assert (first_page["total"], len(first_page["items"])) == (4, 2)
    assert first_page["items"][0]["reader"] == "operator-2"
    assert len(last_page["items"]) == 2
    assert (by_reader["total"], {item["reader"] for item in by_reader["items"]}) == (3, {reader})
    assert today_only["total"] == 4
    assert tomorrow["total"] == 0
    assert far_future["total"] == 4
    assert as_gp.status_code == 403


async def test_c04_an_ocmw_reads_the_trail_of_reads_about_care_it_covers(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    covering = example_decision_version_published()
    ocmw = covering.ocmw.enterprise_number
    await deliver(tmp_path, covering)
    body = certificate(covering.ssin, valid_until="2025-03-31")
    number = (await file(client, tokens, random_gp_riziv(), body)).json()["certificate_number"]
    reader = random_gp_riziv()
    by_person = {"ssin": covering.ssin}
    await eventually(  # the decision has reached consultation's read model
        lambda: client.get(PATH, params=by_person, headers=tokens.headers(Role.OCMW, ocmw)),
        lambda response: response.status_code == 200,
    )
    elsewhere = (await file(client, tokens, random_gp_riziv(), certificate(random_ssin()))).json()

    await client.get(PATH, params=by_person, headers=tokens.headers(Role.GP, reader))
    await client.get(
        f"{PATH}/{elsewhere['certificate_number']}", headers=tokens.headers(Role.GP, reader)
    )
    own = await client.get(f"{PATH}/reads", headers=tokens.headers(Role.OCMW, ocmw))
    other = await client.get(f"{PATH}/reads", headers=tokens.headers(Role.OCMW, "0212345678"))

    assert own.status_code == 200
    assert [
        (item["reader"], item["certificate_numbers"])
        for item in own.json()["items"]
        if item["reader_role"] == "gp"
    ] == [(reader, [number])]  # not the read about someone it does not cover
    assert other.json()["total"] == 0
