"""C-04: doctors and dentists file urgent-aid certificates; searched by person; withdrawn by
their author only; every change published for tariffing."""

from typing import Any

import httpx

from mediprima_contracts.events import CertificateRegistered, CertificateWithdrawn
from mediprima_contracts.events.topics import CERTIFICATES
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory


def certificate(ssin: str, **changes: Any) -> dict[str, Any]:
    return {
        "ssin": ssin,
        "care_type": "general_medicine",
        "valid_from": "2025-02-01",
        "valid_until": "2025-04-30",
        **changes,
    }


async def file(
    client: httpx.AsyncClient, tokens: TokenFactory, provider: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        "/v1/urgent-aid-certificates", json=body, headers=tokens.headers(Role.GP, provider)
    )


async def test_c04_a_doctor_files_a_certificate_that_is_published_and_found_by_ssin(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()

    filed = await file(client, tokens, gp, certificate(ssin))
    found = await client.get(
        "/v1/urgent-aid-certificates",
        params={"ssin": ssin},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )

    assert filed.status_code == 201
    number = filed.json()["certificate_number"]
    assert len(number) == 12
    assert number.isdigit()
    assert [item["certificate_number"] for item in found.json()] == [number]
    assert found.json()[0]["provider"] == gp
    [record] = await published(CERTIFICATES)
    event = parse_envelope(record.value).data
    assert isinstance(event, CertificateRegistered)
    assert (event.certificate_number, event.ssin, event.provider) == (number, ssin, gp)
    assert str(event.valid_until) == "2025-04-30"


async def test_c04_a_dentist_may_file_and_numbers_are_unique(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, dentist = random_ssin(), random_dentist_riziv()

    numbers = [
        (await file(client, tokens, dentist, certificate(ssin))).json()["certificate_number"]
        for _ in range(5)
    ]

    assert len(set(numbers)) == 5


async def test_c04_a_hospital_may_not_file_and_nothing_is_published(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    refused = await file(client, tokens, random_hospital_number(), certificate(random_ssin()))

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["rule"] == "C-04"
    assert await published(CERTIFICATES, expected=0) == []


async def test_c04_a_validity_ending_before_it_starts_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = certificate(random_ssin(), valid_from="2025-03-01", valid_until="2025-02-01")

    refused = await file(client, tokens, random_gp_riziv(), body)

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "C-04"


async def test_c04_the_search_keeps_to_the_period_asked(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()
    february = await file(
        client, tokens, gp, certificate(ssin, valid_from="2025-02-01", valid_until="2025-02-28")
    )
    april = await file(
        client, tokens, gp, certificate(ssin, valid_from="2025-04-01", valid_until="2025-06-30")
    )
    await file(client, tokens, gp, certificate(random_ssin()))

    async def search(**period: str) -> list[str]:
        response = await client.get(
            "/v1/urgent-aid-certificates",
            params={"ssin": ssin, **period},
            headers=tokens.headers(Role.OPERATOR, "operator-1"),
        )
        return [item["certificate_number"] for item in response.json()]

    assert await search(**{"from": "2025-03-01", "to": "2025-03-31"}) == []
    assert await search(**{"from": "2025-02-28"}) == [
        february.json()["certificate_number"],
        april.json()["certificate_number"],
    ]
    assert await search(**{"from": "2025-06-30"}) == [april.json()["certificate_number"]]
    assert await search(**{"from": "2025-07-01"}) == []


async def test_c04_only_the_author_withdraws_a_certificate(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    path = f"/v1/urgent-aid-certificates/{number}"

    by_other = await client.delete(path, headers=tokens.headers(Role.GP, random_gp_riziv()))
    by_author = await client.delete(path, headers=tokens.headers(Role.GP, author))
    again = await client.delete(path, headers=tokens.headers(Role.GP, author))
    found = await client.get(
        "/v1/urgent-aid-certificates",
        params={"ssin": ssin},
        headers=tokens.headers(Role.GP, author),
    )
    unknown = await client.delete(
        "/v1/urgent-aid-certificates/000000000097", headers=tokens.headers(Role.GP, author)
    )

    assert by_other.status_code == 403
    assert by_other.json()["errors"][0]["rule"] == "C-04"
    assert by_author.status_code == 204
    assert again.status_code == 204
    assert found.json() == []
    assert unknown.status_code == 404
    events = [
        parse_envelope(record.value).data for record in await published(CERTIFICATES, expected=2)
    ]
    assert [type(event) for event in events] == [CertificateRegistered, CertificateWithdrawn]
    assert events[1].certificate_number == number


async def test_c04_a_token_naming_no_provider_is_refused_not_failed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    refused = await file(client, tokens, "gp-without-number", certificate(random_ssin()))

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "certificate.provider_unidentified"
