"""GP software reads the coverage answer's reasons and refusals in Dutch or French."""

import httpx

from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from ..certificates.test_certificates_api import certificate


async def test_c01_an_unknown_person_s_reasons_are_in_the_callers_language(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ssin, headers = random_ssin(), tokens.headers(Role.GP, random_gp_riziv())
    body = {"ssin": ssin, "date": "2025-02-14"}

    english = await client.post("/v1/consultations", json=body, headers=headers)
    dutch = await client.post(
        "/v1/consultations", json=body, headers={**headers, "Accept-Language": "nl"}
    )
    french = await client.post(
        "/v1/consultations", json=body, headers={**headers, "Accept-Language": "fr"}
    )

    assert english.status_code == dutch.status_code == french.status_code == 201
    assert dutch.json()["covered"] is False
    assert [(r["rule"], r["code"]) for r in dutch.json()["reasons"]] == [("C-01", "decision.none")]
    assert [(r["rule"], r["code"]) for r in french.json()["reasons"]] == [("C-01", "decision.none")]
    assert english.json()["reasons"][0]["message"] == "No OCMW decision for this person"
    assert dutch.json()["reasons"][0]["message"] == "Geen OCMW-beslissing voor deze persoon"
    assert french.json()["reasons"][0]["message"] == "Aucune décision de CPAS pour cette personne"
    route = french.json()["billing_route_reason"]
    assert route["code"] == english.json()["billing_route_reason"]["code"]
    assert route["message"].startswith("Aucune décision enregistrée dans MediPrima")
    assert dutch.headers["content-language"] == "nl"


async def test_c04_a_certificate_without_an_end_is_refused_in_french(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = certificate(random_ssin(), valid_until=None)
    headers = {**tokens.headers(Role.GP, random_gp_riziv()), "Accept-Language": "fr-BE, nl;q=0.5"}

    response = await client.post("/v1/urgent-aid-certificates", json=body, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-language"] == "fr"
    assert response.json()["errors"] == [
        {
            "rule": "C-04",
            "code": "certificate.unbounded",
            "message": "Une attestation vaut pour une période limitée : indiquez sa fin",
            "field": "valid_until",
        }
    ]
    assert response.json()["title"] == "Requête refusée"
