"""An invoice walks from an OCMW decision to the month's settlement, on both backends."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from e2e.platform import Backend, running_platform
from e2e.walkthrough import Actors, walk_invoice_through
from servicekit.testing import TokenFactory


@pytest.mark.e2e
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sql", id="sqlite+sql-log"),
        pytest.param("kafka", id="kafka+postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
    ],
)
async def test_an_invoice_walks_from_decision_to_settlement(
    backend: Backend, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    actors = Actors.fresh(tokens.headers)
    headers_seen: list[str] = []

    async def keep_headers(response: httpx.Response) -> None:
        headers_seen.extend(f"{name}: {value}" for name, value in response.headers.items())

    async with running_platform(backend, tmp_path, tokens) as clients:
        for client in clients.values():
            client.event_hooks["response"].append(keep_headers)
        result = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())

    # Non-negotiable 9: the person's number is in no log line and no response header.
    output = capfd.readouterr()
    assert headers_seen
    assert '"service"' in output.out  # the services' JSON log lines were captured
    for text in (output.out, output.err, *headers_seen):
        assert actors.ssin not in text

    totals = result.settlement["totals"]
    assert totals["lines"] == 1
    assert totals["invoices"] == 1
    paid_by_payer = Decimal(totals["state_share"]) + Decimal(totals["ocmw_share"])
    assert paid_by_payer == result.paid_amount
    assert result.paid_amount > 0
    assert [entry["enterprise_number"] for entry in result.settlement["per_ocmw"]] == [
        actors.ocmw_enterprise_number
    ]
