"""OCMW software reads refusals in Dutch or French (`Accept-Language`); rule and code stay."""

import httpx
import pytest

from mediprima_contracts.testing.factories import random_enterprise_number
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .factories import decision_body


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl-BE", "Enkel het OCMW dat eigenaar is van een beslissing mag ze wijzigen"),
        ("fr-BE", "Seul le CPAS propriétaire d'une décision peut la modifier"),
    ],
)
async def test_d14_filing_for_another_ocmw_is_refused_in_the_callers_language(
    client: httpx.AsyncClient, tokens: TokenFactory, language: str, message: str
) -> None:
    body = decision_body(ocmw=random_enterprise_number())
    headers = tokens.headers(Role.OCMW, random_enterprise_number())

    english = await client.post("/v1/decisions", json=body, headers=headers)
    translated = await client.post(
        "/v1/decisions", json=body, headers={**headers, "Accept-Language": language}
    )

    assert translated.status_code == english.status_code == 403
    assert translated.headers["content-language"] == language[:2]
    [item] = translated.json()["errors"]
    assert (item["rule"], item["code"]) == ("D-14", "decision.not_owner")
    assert item["code"] == english.json()["errors"][0]["code"]
    assert item["message"] == translated.json()["detail"] == message


async def test_api01_a_malformed_decision_names_the_rule_of_a_well_formed_request(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    body = {**decision_body(ocmw=ocmw), "ssin": "85073003329", "committee_date": "yesterday"}
    headers = tokens.headers(Role.OCMW, ocmw)

    english = await client.post("/v1/decisions", json=body, headers=headers)
    dutch = await client.post(
        "/v1/decisions", json=body, headers={**headers, "Accept-Language": "nl"}
    )

    assert english.status_code == dutch.status_code == 422
    found = {(item["rule"], item["code"], item["field"]) for item in english.json()["errors"]}
    assert found == {
        ("API-01", "ssin.check_digits", "ssin"),
        ("API-01", "date_from_datetime_parsing", "committee_date"),
    }
    assert {(item["rule"], item["code"], item["field"]) for item in dutch.json()["errors"]} == found
    messages = {item["field"]: item["message"] for item in dutch.json()["errors"]}
    assert messages == {
        "ssin": "Het controlegetal van het INSZ-nummer klopt niet",
        "committee_date": "Een datum JJJJ-MM-DD wordt verwacht",
    }
    assert dutch.json()["title"] == "Aanvraag geweigerd"


async def test_the_openapi_document_tells_how_to_choose_the_language(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    assert "`Accept-Language`" in document["info"]["description"]
    assert "`API-01`" in document["info"]["description"]
