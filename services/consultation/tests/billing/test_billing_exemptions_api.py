"""I-06: OCMWs record GPs' exemption declarations; operators record provider kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_enterprise_number,
    random_gp_riziv,
)
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .helpers import record_exemption


async def test_i06_an_ocmw_records_a_declaration_once_for_the_same_body(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw, gp = random_enterprise_number(), random_gp_riziv()

    first = await record_exemption(client, tokens, ocmw, provider=gp)
    again = await record_exemption(client, tokens, ocmw, provider=gp)
    reused = await record_exemption(client, tokens, ocmw, provider=gp, declared_on="2025-10-21")
    listed = await client.get(
        "/v1/billing-exemptions", params={"provider": gp}, headers=tokens.headers(Role.OCMW, ocmw)
    )

    assert first.status_code == 201
    assert first.json()["ocmw"] == ocmw
    assert first.json()["provider"] == gp
    assert first.json()["reason"] == "force_majeure"
    assert again.status_code == 200
    assert again.json() == first.json()
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["rule"] == "I-06"
    assert reused.json()["errors"][0]["code"] == "exemption.reference_reused"
    assert [item["exemption_id"] for item in listed.json()] == [first.json()["exemption_id"]]


async def test_i06_an_ocmw_reads_its_own_declarations_and_operators_all(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ours, theirs = random_gp_riziv(), random_enterprise_number(), random_enterprise_number()
    mine = (await record_exemption(client, tokens, ours, provider=gp)).json()
    other = (await record_exemption(client, tokens, theirs, provider=gp)).json()

    as_ours = await client.get(
        "/v1/billing-exemptions", params={"provider": gp}, headers=tokens.headers(Role.OCMW, ours)
    )
    as_operator = await client.get(
        "/v1/billing-exemptions",
        params={"provider": gp},
        headers=tokens.headers(Role.OPERATOR, "operator-1"),
    )
    as_gp = await client.get("/v1/billing-exemptions", headers=tokens.headers(Role.GP, gp))

    assert [item["exemption_id"] for item in as_ours.json()] == [mine["exemption_id"]]
    assert {item["exemption_id"] for item in as_operator.json()} == {
        mine["exemption_id"],
        other["exemption_id"],
    }
    assert as_gp.status_code == 403


async def test_i06_a_declaration_is_not_dated_in_the_future_and_is_a_doctors(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()

    future = await record_exemption(
        client, tokens, ocmw, provider=random_gp_riziv(), declared_on=tomorrow
    )
    dentist = await record_exemption(
        client, tokens, ocmw, provider=random_dentist_riziv(), document_reference="DECL-2"
    )
    unknown_reason = await record_exemption(
        client, tokens, ocmw, provider=random_gp_riziv(), reason="too_busy"
    )
    by_gp = await client.post(
        "/v1/billing-exemptions",
        json={
            "provider": random_gp_riziv(),
            "reason": "force_majeure",
            "declared_on": "2025-10-20",
            "document_reference": "DECL-3",
        },
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )

    assert future.status_code == 422
    assert (future.json()["errors"][0]["rule"], future.json()["errors"][0]["code"]) == (
        "I-06",
        "exemption.declared_in_future",
    )
    assert dentist.status_code == 422
    assert dentist.json()["errors"][0]["code"] == "exemption.not_a_doctor"
    assert unknown_reason.status_code == 422
    assert unknown_reason.json()["errors"][0]["field"] == "reason"
    assert by_gp.status_code == 403


async def test_i06_operators_record_provider_kinds(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    provider = random_gp_riziv()
    operator = tokens.headers(Role.OPERATOR, "operator-1")

    default = await client.get(f"/v1/provider-kinds/{provider}", headers=operator)
    first = await client.put(
        f"/v1/provider-kinds/{provider}", json={"kind": "medical_house"}, headers=operator
    )
    changed = await client.put(
        f"/v1/provider-kinds/{provider}", json={"kind": "practice"}, headers=operator
    )
    read = await client.get(f"/v1/provider-kinds/{provider}", headers=operator)
    by_ocmw = await client.put(
        f"/v1/provider-kinds/{provider}",
        json={"kind": "medical_house"},
        headers=tokens.headers(Role.OCMW, random_enterprise_number()),
    )
    bad_number = await client.put(
        "/v1/provider-kinds/12345678901", json={"kind": "medical_house"}, headers=operator
    )
    bad_kind = await client.put(
        f"/v1/provider-kinds/{provider}", json={"kind": "pharmacy"}, headers=operator
    )

    assert default.json() == {"riziv_number": provider, "kind": "practice", "recorded_at": None}
    assert first.json()["kind"] == "medical_house"
    assert changed.json()["kind"] == "practice"
    assert read.json()["kind"] == "practice"
    assert by_ocmw.status_code == 403
    assert bad_number.status_code == 422
    assert bad_kind.status_code == 422
