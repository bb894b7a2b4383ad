"""OCMW software simulates the refund code; the decision then gets the same answer."""

import httpx

from mediprima_contracts.events.topics import DECISIONS
from mediprima_contracts.testing.factories import random_bis_number, random_enterprise_number
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..decisions.factories import decision_body


async def test_d12_a_simulation_answers_what_the_decision_gets_and_files_nothing(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ocmw = random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    situation = {
        "ssin": random_bis_number(),
        "category": "regularisation_9ter",
        "insurable": False,
        "affiliated_to_fund": False,
        "income_above_living_wage": True,
    }

    simulated = await client.post("/v1/refund-code-simulations", json=situation, headers=headers)
    nothing_filed = await published(DECISIONS, expected=1)
    created = await client.post(
        "/v1/decisions", json=decision_body(ocmw=ocmw) | situation, headers=headers
    )
    decision = (
        await client.get(f"/v1/decisions/{created.json()['decision_number']}", headers=headers)
    ).json()

    assert simulated.status_code == 200
    assert simulated.json() == {
        "refund_code": 7,
        "state_share": {
            "hospitalisation": {"insurance_part_pct": 50, "patient_share_pct": 50},
            "ambulatory_in_hospital": {"insurance_part_pct": 50, "patient_share_pct": 50},
            "outside_hospital": {"insurance_part_pct": 0, "patient_share_pct": 0},
        },
        "urgent_medical_aid": False,
        "policy_version": "2026.1",
    }
    assert nothing_filed == []
    assert decision["refund_code"] == simulated.json()["refund_code"]
    assert decision["state_share"] == simulated.json()["state_share"]
    assert decision["refund_policy_version"] == "2026.1"


async def test_d12_gp_software_cannot_simulate_refund_codes(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/refund-code-simulations",
        json={
            "category": "asylum_seeker",
            "insurable": False,
            "affiliated_to_fund": False,
            "income_above_living_wage": False,
        },
        headers=tokens.headers(Role.GP, "x"),
    )
    assert response.status_code == 403
