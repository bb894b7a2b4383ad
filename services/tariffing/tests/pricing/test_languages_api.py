"""A GP reads a simulation's refusals in Dutch or French; rule and code stay."""

import httpx
import pytest

from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Geen OCMW-beslissing voor deze persoon"),
        ("fr", "Aucune décision de CPAS pour cette personne"),
    ],
)
async def test_t06_a_line_s_refusal_is_in_the_callers_language(
    client: httpx.AsyncClient, tokens: TokenFactory, language: str, message: str
) -> None:
    response = await client.post(
        "/v1/pricing-simulations",
        json={"ssin": random_ssin(), "date": "2025-03-10", "lines": [{"code": "101032"}]},
        headers={**tokens.headers(Role.GP, random_gp_riziv()), "Accept-Language": language},
    )

    assert response.status_code == 200
    assert response.headers["content-language"] == language
    [line] = response.json()["lines"]
    refusal = line["refusal"]
    assert (refusal["rule"], refusal["code"], refusal["message"]) == (
        "C-01",
        "decision.none",
        message,
    )


async def test_t04_an_invoice_issued_in_the_future_is_refused_in_dutch(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = {
        "ssin": random_ssin(),
        "date": "2025-03-10",
        "issued_on": "2199-01-01",
        "lines": [{"code": "101032"}],
    }
    headers = {**tokens.headers(Role.GP, random_gp_riziv()), "Accept-Language": "nl-BE"}

    response = await client.post("/v1/pricing-simulations", json=body, headers=headers)

    assert response.status_code == 422
    [item] = response.json()["errors"]
    assert (item["rule"], item["code"]) == ("T-04", "simulation.issued_in_future")
    assert item["message"] == "Een factuur wordt niet in de toekomst uitgeschreven"
