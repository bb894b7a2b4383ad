"""C-04: a certificate's validity is bounded: within the person's urgent-aid cover of the care,
or one urgent-aid period (3 months) long when the OCMW has not decided yet."""

from __future__ import annotations

from pathlib import Path

import httpx

from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually

from .test_certificates_api import certificate, file


def problem(response: httpx.Response) -> tuple[int, str | None, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["rule"], error["code"]


async def test_c04_a_certificate_without_an_end_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = certificate(random_ssin())
    del body["valid_until"]

    missing = await file(client, tokens, random_gp_riziv(), body)
    null = await file(client, tokens, random_gp_riziv(), {**body, "valid_until": None})

    assert problem(missing) == (422, "C-04", "certificate.unbounded")
    assert missing.json()["errors"][0]["field"] == "valid_until"
    assert problem(null) == (422, "C-04", "certificate.unbounded")


async def test_c04_before_any_decision_a_certificate_runs_at_most_3_months(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()

    three_months = await file(client, tokens, gp, certificate(ssin, valid_until="2025-04-30"))
    longer = await file(client, tokens, gp, certificate(ssin, valid_until="2025-05-01"))

    assert three_months.status_code == 201
    assert problem(longer) == (422, "C-04", "certificate.too_long")


async def test_c04_d08_with_an_urgent_aid_cover_the_certificate_lies_within_it(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    pending = random_ssin()  # the register reported a new number, not yet taken over (D-08)
    decision = example_decision_version_published(pending_ssin=pending)  # GP care Jan-Mar 2025
    gp = random_gp_riziv()
    await deliver(tmp_path, decision)
    await eventually(
        lambda: client.post(
            "/v1/consultations",
            json={"ssin": decision.ssin, "date": "2025-02-14"},
            headers=tokens.headers(Role.GP, gp),
        ),
        lambda response: response.json()["covered"],
    )

    within = await file(client, tokens, gp, certificate(decision.ssin, valid_until="2025-03-31"))
    beyond = await file(client, tokens, gp, certificate(decision.ssin, valid_until="2025-04-15"))
    under_new_number = await file(
        client, tokens, gp, certificate(pending, valid_until="2025-04-15")
    )
    other_care = await file(
        client,
        tokens,
        gp,
        certificate(decision.ssin, care_type="paramedical", valid_until="2025-04-15"),
    )

    assert within.status_code == 201
    assert problem(beyond) == (422, "C-04", "certificate.beyond_cover")
    assert "2025-03-31" in beyond.json()["errors"][0]["message"]
    assert problem(under_new_number) == (422, "C-04", "certificate.beyond_cover")
    assert other_care.status_code == 201  # no urgent-aid cover of that care: 3 months at most
