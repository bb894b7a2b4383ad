"""Every pricing simulation about a person is recorded; the operators and the OCMW covering the
person see who asked, other OCMWs and GPs do not."""

from pathlib import Path

import httpx

from mediprima_contracts.testing.factories import random_enterprise_number, random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually

from .test_invoice_pricing import LINES, simulate, urgent_aid_decision


async def test_a_gps_simulation_is_seen_by_the_covering_ocmw_and_operators_only(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    covering = decision.ocmw.enterprise_number
    await deliver(tmp_path, decision)
    await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, LINES[:1]),
        lambda answer: answer.json()["lines"][0]["decision_number"] is not None,
    )

    async def reads(role: Role, subject: str) -> httpx.Response:
        return await client.get(
            "/v1/person-reads",
            params={"ssin": decision.ssin},
            headers=tokens.headers(role, subject),
        )

    by_operator = await reads(Role.OPERATOR, "ops")
    by_covering = await reads(Role.OCMW, covering)
    by_other = await reads(Role.OCMW, random_enterprise_number())
    by_gp = await reads(Role.GP, gp)

    items = by_operator.json()["items"]
    assert items
    assert {(item["reader_role"], item["reader"], item["endpoint"]) for item in items} == {
        ("gp", gp, "pricing-simulations")
    }
    assert items[-1]["ocmw"] == covering
    assert items[-1]["read_at"].endswith(("Z", "+00:00"))
    # Reads made before the decision was known name no OCMW: only operators see those.
    assert by_covering.json()["items"] == [item for item in items if item["ocmw"] == covering]
    assert by_other.json()["items"] == []
    assert by_gp.status_code == 403
