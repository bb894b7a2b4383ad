"""C-04: the OCMW covering a person reads and downloads its clients' certificates, found under
every number of the person (D-08), for the days it was competent (D-14)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually, revised

from .test_certificates_api import certificate, file

PATH = "/v1/urgent-aid-certificates"


async def search(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, ssin: str, **headers: str
) -> httpx.Response:
    return await client.get(
        PATH, params={"ssin": ssin}, headers=tokens.headers(Role.OCMW, ocmw, **headers)
    )


async def known(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, ssin: str
) -> list[dict[str, Any]]:
    """The OCMW's search once the read model knows its decision."""
    response = await eventually(
        lambda: search(client, tokens, ocmw, ssin), lambda answer: answer.status_code == 200
    )
    assert response.status_code == 200
    return list(response.json())


def decision(**changes: Any) -> DecisionVersionPublished:
    return example_decision_version_published(**changes)  # urgent aid, GP care Jan-Mar 2025


async def test_c04_the_covering_ocmw_reads_and_downloads_its_clients_certificates(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    pending = random_ssin()
    covering = decision(pending_ssin=pending)
    ocmw, gp = covering.ocmw.enterprise_number, random_gp_riziv()
    await deliver(tmp_path, covering)
    body = certificate(covering.ssin, valid_until="2025-03-31")
    filed = (await file(client, tokens, gp, body)).json()
    under_new_number = (await file(client, tokens, gp, {**body, "ssin": pending})).json()

    listed = await known(client, tokens, ocmw, covering.ssin)
    download = await search(client, tokens, ocmw, covering.ssin, Accept="text/csv")
    other_ocmw = await search(client, tokens, random_enterprise_number(), covering.ssin)
    one = await client.get(
        f"{PATH}/{filed['certificate_number']}", headers=tokens.headers(Role.OCMW, ocmw)
    )
    one_by_other = await client.get(
        f"{PATH}/{filed['certificate_number']}",
        headers=tokens.headers(Role.OCMW, random_enterprise_number()),
    )

    numbers = {filed["certificate_number"], under_new_number["certificate_number"]}
    assert {item["certificate_number"] for item in listed} == numbers
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {row["certificate_number"] for row in rows} == numbers
    [row] = [row for row in rows if row["certificate_number"] == filed["certificate_number"]]
    assert row == {
        "certificate_number": filed["certificate_number"],
        "version": "1",
        "ssin": covering.ssin,
        "provider": gp,
        "care_type": "general_medicine",
        "valid_from": "2025-02-01",
        "valid_until": "2025-03-31",
        "registered_at": filed["registered_at"],
        "corrected_at": "",
        "relied_on": "false",
    }
    assert other_ocmw.status_code == 403
    assert (other_ocmw.json()["errors"][0]["rule"], other_ocmw.json()["errors"][0]["code"]) == (
        "C-04",
        "certificate.not_ocmw_client",
    )
    assert one.status_code == 200
    assert one_by_other.status_code == 404


async def test_c04_d14_after_a_hand_over_each_ocmw_reads_the_certificates_of_its_days(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    first = decision()
    receiver = random_enterprise_number()
    handed_over = revised(
        first,
        version=2,
        change_kind="handed_over",
        ocmw={**first.ocmw.model_dump(), "enterprise_number": receiver},
        effective_from="2025-02-15",
        narrowing_from="2025-02-15",
    )
    await deliver(tmp_path, first, handed_over, key=first.decision_number)
    gp = random_gp_riziv()
    january = certificate(first.ssin, valid_from="2025-01-10", valid_until="2025-02-10")
    march = certificate(first.ssin, valid_from="2025-02-20", valid_until="2025-03-31")
    before = await file(client, tokens, gp, january)
    after = await file(client, tokens, gp, march)
    await eventually(
        lambda: search(client, tokens, receiver, first.ssin),
        lambda answer: answer.status_code == 200,
    )

    by_sender = await known(client, tokens, first.ocmw.enterprise_number, first.ssin)
    by_receiver = await known(client, tokens, receiver, first.ssin)

    assert [item["certificate_number"] for item in by_sender] == [
        before.json()["certificate_number"]
    ]
    assert [item["certificate_number"] for item in by_receiver] == [
        after.json()["certificate_number"]
    ]


async def test_c04_a_format_not_offered_is_refused_not_failed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.get(
        PATH,
        params={"ssin": random_ssin()},
        headers=tokens.headers(Role.GP, random_gp_riziv(), Accept="application/pdf"),
    )

    assert response.status_code == 406
    assert response.json()["errors"][0]["code"] == "certificate.format_not_offered"
