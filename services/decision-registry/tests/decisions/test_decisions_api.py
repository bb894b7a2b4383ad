"""OCMW software files and reads decisions."""

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from decision_registry.decisions.numbers import is_well_formed
from decision_registry.decisions.schemas import DecisionInput
from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.factories import random_enterprise_number, random_gp_riziv
from mediprima_contracts.testing.strategies import bis_numbers, register_numbers
from mediprima_contracts.values import Ssin
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from .factories import decision_body


async def test_d01_a_new_decision_is_version_1_with_a_checked_number_and_is_published(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    body = decision_body(ocmw=ocmw)
    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw)
    )

    assert response.status_code == 201
    created = response.json()
    assert created["version"] == 1
    assert created["status"] == "active"
    assert is_well_formed(created["decision_number"])
    [record] = await published(DECISIONS)
    event = parse_envelope(record.value)
    assert isinstance(event.data, DecisionVersionPublished)
    assert event.subject == record.key == created["decision_number"]
    assert event.data.version == 1
    assert event.data.ssin == body["ssin"]


async def test_d01_every_version_is_readable(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    number = (
        await client.post("/v1/decisions", json=decision_body(ocmw=ocmw), headers=headers)
    ).json()["decision_number"]

    current = await client.get(f"/v1/decisions/{number}", headers=headers)
    versions = await client.get(f"/v1/decisions/{number}/versions", headers=headers)
    first = await client.get(f"/v1/decisions/{number}/versions/1", headers=headers)
    missing = await client.get(f"/v1/decisions/{number}/versions/2", headers=headers)

    assert current.status_code == 200
    assert current.headers["etag"] == '"1"'
    assert current.json()["refund_code"] == 2
    assert current.json()["state_share"]["outside_hospital"] == {
        "insurance_part_pct": 100,
        "patient_share_pct": 100,
    }
    assert [item["version"] for item in versions.json()] == [1]
    assert first.json() == current.json()
    assert missing.status_code == 404


async def test_d14_an_ocmw_cannot_file_for_another_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    body = decision_body(ocmw=random_enterprise_number())
    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, random_enterprise_number())
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "D-14"
    assert await published(DECISIONS) == []


async def test_d14_another_ocmws_decision_does_not_exist_for_the_caller(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    owner = random_enterprise_number()
    number = (
        await client.post(
            "/v1/decisions",
            json=decision_body(ocmw=owner),
            headers=tokens.headers(Role.OCMW, owner),
        )
    ).json()["decision_number"]

    stranger = await client.get(
        f"/v1/decisions/{number}", headers=tokens.headers(Role.OCMW, random_enterprise_number())
    )
    operator = await client.get(
        f"/v1/decisions/{number}", headers=tokens.headers(Role.OPERATOR, "ops")
    )

    assert stranger.status_code == 404
    assert stranger.json()["errors"][0]["rule"] == "D-14"
    assert operator.status_code == 200


async def test_an_invalid_ssin_is_refused_and_nothing_is_filed(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    body = decision_body(ocmw=ocmw, ssin="85041200100")
    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw)
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "ssin"
    listed = await client.get(
        "/v1/decisions", params={"ssin": body["ssin"]}, headers=tokens.headers(Role.OPERATOR, "ops")
    )
    assert listed.json() == []
    assert await published(DECISIONS) == []


@settings(max_examples=50, deadline=None)
@given(number=st.one_of(register_numbers(), bis_numbers()), wrong=st.integers(1, 96))
def test_d01_a_decision_is_filed_for_any_valid_register_or_bis_number_and_no_other(
    number: str, wrong: int
) -> None:
    body = decision_body(ssin=number)
    assert DecisionInput.model_validate(body).ssin == number
    check = (int(number[-2:]) + wrong) % 100
    mistyped = f"{number[:-2]}{check:02d}"
    if mistyped != number and not _valid_either_way(mistyped):
        with pytest.raises(ValidationError) as refused:
            DecisionInput.model_validate(body | {"ssin": mistyped})
        assert refused.value.errors()[0]["loc"] == ("ssin",)


def _valid_either_way(number: str) -> bool:
    """A number born in 2000 or later checks on `2` + 9 digits; a changed check digit can be the
    other century's valid one."""
    try:
        Ssin(number)
    except ValueError:
        return False
    return True


async def test_t02_the_preferential_reimbursement_is_filed_and_published(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    body = decision_body(ocmw=ocmw) | {"preferential_reimbursement": True}

    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw)
    )
    [record] = await published(DECISIONS)

    assert response.status_code == 201
    stored = await client.get(
        f"/v1/decisions/{response.json()['decision_number']}",
        headers=tokens.headers(Role.OCMW, ocmw),
    )
    assert stored.json()["preferential_reimbursement"] is True
    assert parse_envelope(record.value).data.preferential_reimbursement is True


async def test_a_provider_list_too_long_for_the_bus_is_refused_and_nothing_is_filed(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    body = decision_body(ocmw=ocmw)
    body["coverages"][0]["providers"] = [random_gp_riziv() for _ in range(101)]

    response = await client.post(
        "/v1/decisions", json=body, headers=tokens.headers(Role.OCMW, ocmw)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "coverages.0.providers"
    assert await published(DECISIONS) == []


async def test_a_multi_megabyte_decision_is_refused_and_the_next_decision_is_published(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    huge = decision_body(ocmw=ocmw)
    huge["coverages"][0]["providers"] = [random_gp_riziv() for _ in range(300_000)]  # ~4 MB

    refused = await client.post("/v1/decisions", json=huge, headers=headers)
    filed = await client.post("/v1/decisions", json=decision_body(ocmw=ocmw), headers=headers)

    assert refused.status_code == 413
    assert refused.json()["errors"][0]["code"] == "body.too_large"
    assert filed.status_code == 201
    [record] = await published(DECISIONS)
    assert record.key == filed.json()["decision_number"]
