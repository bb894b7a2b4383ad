"""I-06 through the API: the consultation answer tells the GP how to bill, and the OCMW asks
whether a paper invoice it received was allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_hospital_number,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .helpers import (
    CARE_DAY,
    after_the_transition,
    consult,
    gp_decision,
    published_decision,
    record_exemption,
)


def route_of(answer: dict[str, Any]) -> tuple[str, str, str]:
    reason = answer["billing_route_reason"]
    return answer["billing_route"], reason["rule"], reason["code"]


async def check(
    client: httpx.AsyncClient, tokens: TokenFactory, ocmw: str, **body: Any
) -> httpx.Response:
    return await client.post(
        "/v1/paper-invoice-checks",
        json={"date_of_care": CARE_DAY, **body},
        headers=tokens.headers(Role.OCMW, ocmw),
    )


async def test_i06_an_unknown_person_goes_on_paper_to_the_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    answer = (await consult(client, tokens, random_ssin(), random_gp_riziv())).json()

    assert route_of(answer) == ("paper_to_ocmw", "I-06", "billing.no_registered_decision")
    assert answer["billing_route_reason"]["message"]


async def test_i06_a_registered_decision_from_1_september_2025_is_billed_on_the_platform(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    assert after_the_transition()
    gp = random_gp_riziv()

    answer = await published_decision(client, tokens, tmp_path, gp_decision("2025-09-01"), gp)

    assert route_of(answer) == ("platform", "I-06", "billing.platform_required")


async def test_i06_a_decision_taken_before_1_september_2025_keeps_the_paper_route(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()

    answer = await published_decision(client, tokens, tmp_path, gp_decision("2025-08-31"), gp)

    assert route_of(answer) == ("paper_to_ocmw", "I-06", "billing.decision_before_2025_09_01")


async def test_i06_without_a_care_type_a_gp_is_answered_for_gp_care(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    only_pharmacy = gp_decision(
        "2025-09-15",
        coverages=[
            {**gp_decision("2025-09-15").coverages[0].model_dump(), "care_type": "pharmaceutical"}
        ],
    )

    answer = await published_decision(client, tokens, tmp_path, only_pharmacy, gp)
    hospital = (await consult(client, tokens, only_pharmacy.ssin, random_hospital_number())).json()

    assert answer["covered"] is True  # the overview shows the pharmacy cover...
    assert route_of(answer)[2] == "billing.no_registered_decision"  # ...but GP care is not covered
    assert route_of(hospital) == ("platform", "I-06", "billing.hospital")


async def test_i06_an_exemption_recorded_by_the_covering_ocmw_allows_paper(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, other_gp = random_gp_riziv(), random_gp_riziv()
    decision = gp_decision("2025-09-15")
    ocmw = decision.ocmw.enterprise_number
    await record_exemption(client, tokens, ocmw, provider=gp, reason="aged_67_on_2023_01_01")
    await record_exemption(
        client, tokens, random_enterprise_number(), provider=other_gp, reason="force_majeure"
    )

    exempt = await published_decision(client, tokens, tmp_path, decision, gp)
    declared_elsewhere = (await consult(client, tokens, decision.ssin, other_gp)).json()

    assert route_of(exempt) == ("paper_to_ocmw", "I-06", "billing.exempt_aged_67_on_2023_01_01")
    assert route_of(declared_elsewhere) == ("platform", "I-06", "billing.platform_required")


async def test_i06_out_of_hours_posts_and_medical_houses_may_bill_on_paper(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    post, house = random_gp_riziv(), random_gp_riziv()
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    for provider, kind in ((post, "out_of_hours_post"), (house, "medical_house")):
        recorded = await client.put(
            f"/v1/provider-kinds/{provider}", json={"kind": kind}, headers=operator
        )
        assert recorded.status_code == 200
        assert recorded.json()["kind"] == kind
    decision = gp_decision("2025-10-01")

    by_post = await published_decision(client, tokens, tmp_path, decision, post)
    by_house = (await consult(client, tokens, decision.ssin, house)).json()

    assert route_of(by_post) == ("paper_to_ocmw", "I-06", "billing.out_of_hours_post")
    assert route_of(by_house) == ("paper_to_ocmw", "I-06", "billing.medical_house")


async def test_i06_paper_invoice_checks_follow_the_invoice_date(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = gp_decision("2025-09-15")
    ocmw = decision.ocmw.enterprise_number
    await published_decision(client, tokens, tmp_path, decision, gp)

    async def verdict(invoiced_on: str, asking: str = ocmw) -> tuple[bool, str, str]:
        response = await check(
            client,
            tokens,
            asking,
            provider=gp,
            ssin=decision.ssin,
            date_of_care="2025-10-30",
            invoiced_on=invoiced_on,
        )
        assert response.status_code == 200
        body = response.json()
        return body["allowed"], body["billing_route"], body["reason"]["code"]

    assert await verdict("2025-10-31") == (
        True,
        "paper_to_ocmw",
        "billing.transition_until_2025_10_31",
    )
    assert await verdict("2025-11-01") == (False, "platform", "billing.platform_required")
    # Another OCMW learns nothing of this OCMW's decision: for it, no decision of its own covers.
    assert await verdict("2025-11-01", asking=random_enterprise_number()) == (
        True,
        "paper_to_ocmw",
        "billing.no_registered_decision",
    )


async def test_i06_a_paper_invoice_check_refuses_bad_dates_and_other_callers(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = {"provider": random_gp_riziv(), "ssin": random_ssin()}

    before_care = await check(
        client, tokens, random_enterprise_number(), invoiced_on="2025-11-19", **body
    )
    by_gp = await client.post(
        "/v1/paper-invoice-checks",
        json={"date_of_care": CARE_DAY, "invoiced_on": CARE_DAY, **body},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )

    assert before_care.status_code == 422
    assert before_care.json()["errors"][0]["rule"] == "I-06"
    assert before_care.json()["errors"][0]["code"] == "paper_invoice.before_care"
    assert by_gp.status_code == 403
