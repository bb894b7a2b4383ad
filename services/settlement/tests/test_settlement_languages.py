"""Operators and OCMW software read settlement refusals in Dutch or French."""

import httpx
import pytest

from servicekit.auth import Role
from servicekit.testing import TokenFactory


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("nl", "Niet gevonden", "Afrekening niet gevonden"),
        ("fr", "Introuvable", "Décompte introuvable"),
    ],
)
async def test_s01_an_unknown_settlement_is_refused_in_the_callers_language(
    sqlite_client: httpx.AsyncClient, tokens: TokenFactory, language: str, title: str, message: str
) -> None:
    headers = {**tokens.headers(Role.OPERATOR, "operator-1"), "Accept-Language": language}

    response = await sqlite_client.get("/v1/settlements/no-such-settlement", headers=headers)

    assert response.status_code == 404
    assert response.headers["content-language"] == language
    assert response.json()["title"] == title
    assert response.json()["detail"] == message
    assert response.json()["errors"] == [
        {"rule": "S-01", "code": "settlement.not_found", "message": message, "field": None}
    ]
