"""C-02: an agreement number shows the coverage as consulted for 30 days, whatever the OCMW
changed since, and the current coverage after."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually, revised

CARE_DAY = "2025-02-14"


async def consult(
    client: httpx.AsyncClient, tokens: TokenFactory, ssin: str, gp: str
) -> dict[str, Any]:
    response = await client.post(
        "/v1/consultations",
        json={"ssin": ssin, "date": CARE_DAY, "care_type": "general_medicine"},
        headers=tokens.headers(Role.GP, gp),
    )
    assert response.status_code == 201
    return dict(response.json())


async def test_c02_a_narrowed_decision_still_shows_the_guaranteed_coverage_for_30_days(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    v1 = example_decision_version_published()
    narrowed = revised(
        v1,
        version=2,
        change_kind="replaced",
        coverages=[example_coverage(period={"start": "2025-01-01", "end": "2025-01-31"})],
    )
    gp = random_gp_riziv()
    await deliver(tmp_path, v1)
    consulted = await eventually(
        lambda: consult(client, tokens, v1.ssin, gp), lambda answer: answer["covered"]
    )
    await deliver(tmp_path, narrowed)
    now = await eventually(
        lambda: consult(client, tokens, v1.ssin, gp), lambda answer: answer["version"] == 2
    )
    assert now["covered"] is False  # the OCMW narrowed general medicine to January

    number = consulted["agreement_number"]
    valid_until = date.fromisoformat(consulted["agreement_valid_until"])
    headers = tokens.headers(Role.GP, gp)
    today = await client.get(f"/v1/agreements/{number}", headers=headers)
    last_day = await client.get(
        f"/v1/agreements/{number}", params={"on": valid_until.isoformat()}, headers=headers
    )
    day_after = await client.get(
        f"/v1/agreements/{number}",
        params={"on": (valid_until + timedelta(days=1)).isoformat()},
        headers=headers,
    )

    assert today.status_code == 200
    for guaranteed in (today.json(), last_day.json()):
        assert guaranteed["guaranteed"] is True
        assert guaranteed["covered"] is True
        assert guaranteed["version"] == 1
        assert guaranteed["current_version"] == 2
        assert guaranteed["coverages"] == consulted["coverages"]
        assert guaranteed["consultation_id"] == consulted["consultation_id"]
    expired = day_after.json()
    assert expired["guaranteed"] is False
    assert expired["covered"] is False
    assert expired["version"] == 2
    assert expired["coverages"] == []
    assert [reason["code"] for reason in expired["reasons"]] == [
        "agreement.expired",
        "cover.not_active",
    ]


async def test_c02_an_agreement_is_bound_to_the_provider_who_consulted(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    decision = example_decision_version_published()
    gp = random_gp_riziv()
    await deliver(tmp_path, decision)
    consulted = await eventually(
        lambda: consult(client, tokens, decision.ssin, gp), lambda answer: answer["covered"]
    )
    number = consulted["agreement_number"]

    other_gp = await client.get(
        f"/v1/agreements/{number}", headers=tokens.headers(Role.GP, random_gp_riziv())
    )
    operator = await client.get(
        f"/v1/agreements/{number}", headers=tokens.headers(Role.OPERATOR, "operator-1")
    )
    unknown = await client.get("/v1/agreements/000000000097", headers=tokens.headers(Role.GP, gp))

    assert other_gp.status_code == 404
    assert other_gp.json()["errors"][0]["rule"] == "C-02"
    assert operator.status_code == 200
    assert (operator.json()["provider"], operator.json()["ssin"]) == (gp, decision.ssin)
    assert unknown.status_code == 404
