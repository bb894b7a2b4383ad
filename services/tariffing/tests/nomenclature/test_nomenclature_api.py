"""GP software and operators read the tariff in force on a date."""

import httpx
import pytest

from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory


@pytest.mark.parametrize(
    ("day", "fee", "valid_from"),
    [
        ("2023-06-01", "30.00", "2023-01-01"),
        ("2023-12-31", "30.00", "2023-01-01"),
        ("2024-01-01", "31.65", "2024-01-01"),
        ("2026-06-01", "33.51", "2026-01-01"),
    ],
)
async def test_t05_the_tariff_in_force_on_the_date_of_care_applies(
    client: httpx.AsyncClient, tokens: TokenFactory, day: str, fee: str, valid_from: str
) -> None:
    response = await client.get(
        "/v1/nomenclature/101032",
        params={"date": day},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )

    assert response.status_code == 200
    tariff = response.json()
    assert tariff["code"] == "101032"
    assert tariff["fee"] == fee
    assert tariff["valid_from"] == valid_from
    assert tariff["description"].startswith("SAMPLE DATA")


async def test_t01_an_unknown_code_is_a_404_problem(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.get(
        "/v1/nomenclature/999999",
        params={"date": "2023-06-01"},
        headers=tokens.headers(Role.OPERATOR, "ops"),
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["rule"] == "T-01"


async def test_t05_a_date_before_any_tariff_has_none(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.get(
        "/v1/nomenclature/101032",
        params={"date": "2022-12-31"},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )

    assert response.status_code == 404
    assert response.json()["errors"][0]["rule"] == "T-01"
