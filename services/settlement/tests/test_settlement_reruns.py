"""S-04 through the API: an open month is recomputed from the ledger; its sums reconcile."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from mediprima_contracts.testing import random_enterprise_number, random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .feeding import deliver, paid, run, settled_lines

OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
SHARES = ("state_share", "ocmw_share", "patient_share", "total")


def per_ocmw_sums(view: dict[str, Any]) -> dict[str, Any]:
    sums: dict[str, Any] = {
        share: str(sum((Decimal(entry[share]) for entry in view["per_ocmw"]), Decimal("0.00")))
        for share in SHARES
    }
    for count in ("lines", "invoices"):
        sums[count] = sum(entry[count] for entry in view["per_ocmw"])
    return sums


async def test_s04_an_open_month_reruns_to_the_same_totals_and_takes_in_later_lines(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    ocmw_a, ocmw_b = random_enterprise_number(), random_enterprise_number()
    await deliver(
        tmp_path,
        paid(at=OCTOBER, ocmw=ocmw_a, state="26.01", share="3.99", patient="0.00"),
        paid(at=OCTOBER, ocmw=ocmw_a, state="0.00", share="7.33", patient="2.67"),
        paid(at=OCTOBER, ocmw=ocmw_b, state="10.10", share="0.00", patient="1.25"),
    )
    first = await settled_lines(client, operator, "2025-10", 3)

    again = await run(client, operator, "2025-10")
    rerun = (await client.get(f"/v1/settlements/{first['settlement_id']}", headers=operator)).json()

    assert again.status_code == 202
    assert again.json()["settlement_id"] == first["settlement_id"]
    assert rerun["totals"] == first["totals"]
    assert first["totals"] == {
        "state_share": "36.11", "ocmw_share": "11.32", "patient_share": "3.92",
        "total": "51.35", "lines": 3, "invoices": 3,
    }  # fmt: skip
    assert per_ocmw_sums(first) == {key: first["totals"][key] for key in per_ocmw_sums(first)}
    by_ocmw = {entry["enterprise_number"]: entry for entry in first["per_ocmw"]}
    assert (by_ocmw[ocmw_a]["total"], by_ocmw[ocmw_b]["total"]) == ("40.00", "11.35")

    await deliver(tmp_path, paid(at=OCTOBER, ocmw=ocmw_b, state="0.99", share="0.01"))
    later = await settled_lines(client, operator, "2025-10", 4)

    assert later["settlement_id"] == first["settlement_id"]
    assert later["status"] == "open"
    assert (later["totals"]["total"], later["totals"]["lines"]) == ("52.35", 4)
    assert per_ocmw_sums(later) == {key: later["totals"][key] for key in per_ocmw_sums(later)}


async def test_s04_a_closed_month_is_refused_with_its_rule(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    view = await settled_lines(client, operator, "2025-10", 1)
    closed = await client.post(f"/v1/settlements/{view['settlement_id']}/close", headers=operator)

    refused = await run(client, operator, "2025-10")

    assert closed.status_code == 200
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["rule"] == "S-04"


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "2025-1", "25-01", "2025/01", ""])
async def test_s01_a_month_not_written_yyyy_mm_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, month: str
) -> None:
    response = await run(client, tokens.headers(Role.OPERATOR, "operator-1"), month)

    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["errors"]] == ["month"]


async def test_s01_only_operators_run_a_month(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await run(client, tokens.headers(Role.GP, random_gp_riziv()), "2025-10")

    assert response.status_code == 403
