"""C-04: its author corrects a certificate by a new version; every version is kept and published."""

from __future__ import annotations

from typing import Any

import httpx

from mediprima_contracts.events import CertificateRegistered
from mediprima_contracts.events.topics import CERTIFICATES
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from .test_certificates_api import certificate, file

PATH = "/v1/urgent-aid-certificates"


async def correct(
    client: httpx.AsyncClient, tokens: TokenFactory, provider: str, number: str, body: Any
) -> httpx.Response:
    return await client.put(
        f"{PATH}/{number}", json=body, headers=tokens.headers(Role.GP, provider)
    )


async def test_c04_the_author_corrects_a_certificate_by_a_new_version(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    filed = (await file(client, tokens, author, certificate(ssin))).json()
    number = filed["certificate_number"]
    corrected_body = certificate(ssin, valid_from="2025-02-03", valid_until="2025-03-31")

    corrected = await correct(client, tokens, author, number, corrected_body)
    again = await correct(client, tokens, author, number, corrected_body)
    headers = tokens.headers(Role.GP, author)
    versions = (await client.get(f"{PATH}/{number}/versions", headers=headers)).json()
    current = (await client.get(f"{PATH}/{number}", headers=headers)).json()
    found = (await client.get(PATH, params={"ssin": ssin}, headers=headers)).json()

    assert filed["version"] == 1
    assert filed["corrected_at"] is None
    assert corrected.status_code == 200
    assert corrected.json()["version"] == 2
    assert corrected.json()["certificate_number"] == number
    assert (corrected.json()["valid_from"], corrected.json()["valid_until"]) == (
        "2025-02-03",
        "2025-03-31",
    )
    assert corrected.json()["registered_at"] == filed["registered_at"]
    assert corrected.json()["corrected_at"] is not None
    assert again.json() == corrected.json()  # the same facts again: no version 3
    assert [(v["version"], v["valid_from"], v["valid_until"]) for v in versions] == [
        (1, "2025-02-01", "2025-04-30"),
        (2, "2025-02-03", "2025-03-31"),
    ]
    assert versions[1]["provider"] == author
    assert current == corrected.json()
    assert found == [corrected.json()]
    events = [
        parse_envelope(record.value).data for record in await published(CERTIFICATES, expected=2)
    ]
    assert all(isinstance(event, CertificateRegistered) for event in events)
    assert [(event.certificate_number, event.version) for event in events] == [
        (number, 1),
        (number, 2),
    ]
    assert str(events[1].valid_until) == "2025-03-31"


async def test_c04_only_the_author_corrects_and_the_rules_hold_for_every_version(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    too_long_body = certificate(ssin, valid_until="2025-05-01")

    by_other = await correct(client, tokens, random_gp_riziv(), number, certificate(ssin))
    too_long = await correct(client, tokens, author, number, too_long_body)
    unbounded = await correct(client, tokens, author, number, certificate(ssin, valid_until=None))
    unknown = await correct(client, tokens, author, "000000000097", certificate(ssin))
    versions = await client.get(
        f"{PATH}/{number}/versions", headers=tokens.headers(Role.GP, author)
    )

    assert by_other.status_code == 403
    assert (by_other.json()["errors"][0]["rule"], by_other.json()["errors"][0]["code"]) == (
        "C-04",
        "certificate.not_author",
    )
    assert too_long.json()["errors"][0]["code"] == "certificate.too_long"
    assert unbounded.json()["errors"][0]["code"] == "certificate.unbounded"
    assert unknown.status_code == 404
    assert [version["version"] for version in versions.json()] == [1]


async def test_c04_a_withdrawn_certificate_is_not_corrected(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    await client.delete(f"{PATH}/{number}", headers=tokens.headers(Role.GP, author))

    refused = await correct(
        client, tokens, author, number, certificate(ssin, valid_until="2025-03-31")
    )
    read = await client.get(f"{PATH}/{number}", headers=tokens.headers(Role.GP, author))

    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "certificate.withdrawn"
    assert read.json()["withdrawn_at"] is not None
    assert read.json()["version"] == 1
