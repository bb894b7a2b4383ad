"""D-05 notices to the funder listed for operators, and cancelled lines leaving the OCMW's
monthly cap (T-03), through the service's own consumers."""

from datetime import date, timedelta
from pathlib import Path

import httpx

from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_invoice_lines_cancelled,
    example_invoice_submitted,
)
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, eventually

from .test_invoice_pricing import CARE_DAY, priced_invoices, simulate, urgent_aid_decision


async def test_d05_late_care_outside_hospitals_is_listed_for_the_funder(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    care = date.fromisoformat(CARE_DAY)
    decided_late = urgent_aid_decision(
        urgent_medical_aid=False, decision_date=(care + timedelta(days=50)).isoformat()
    )
    invoice = example_invoice_submitted(
        ssin=decided_late.ssin,
        provider=gp,
        agreement_number=None,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "32.79"}],
    )
    await deliver(tmp_path, decided_late)
    await eventually(
        lambda: simulate(client, tokens, gp, decided_late.ssin, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )
    await deliver(tmp_path, invoice)
    [priced] = await priced_invoices(published, 1)

    operator = tokens.headers(Role.OPERATOR, "operator-1")
    listed = await client.get(
        "/v1/funder-notices",
        params={"ocmw": decided_late.ocmw.enterprise_number},
        headers=operator,
    )
    as_gp = await client.get("/v1/funder-notices", headers=tokens.headers(Role.GP, gp))

    assert priced.lines[0].verdict == "accepted"
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1
    [notice] = body["items"]
    assert (notice["invoice_id"], notice["line_number"]) == (invoice.invoice_id, 1)
    assert notice["days_after_care"] == 50
    assert as_gp.status_code == 403


async def test_t03_cancelled_lines_no_longer_count_against_the_monthly_cap(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    certificate = example_certificate_registered(ssin=decision.ssin, provider=gp)
    invoice = example_invoice_submitted(
        ssin=decision.ssin,
        provider=gp,
        agreement_number=None,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "32.79"}],
    )
    await deliver(tmp_path, decision, certificate)
    await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )
    await deliver(tmp_path, invoice)
    await priced_invoices(published, 1)
    capped = await simulate(client, tokens, gp, decision.ssin, [{"code": "101032"}])

    await deliver(
        tmp_path,
        example_invoice_lines_cancelled(
            invoice_id=invoice.invoice_id, provider=gp, ssin=decision.ssin, line_numbers=[1]
        ),
    )
    released = await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["ocmw_share"] == "4.00",
    )

    assert capped.json()["lines"][0]["ocmw_share"] == "2.00"  # 6.00 a month, 4.00 used
    assert released.json()["lines"][0]["ocmw_share"] == "4.00"
