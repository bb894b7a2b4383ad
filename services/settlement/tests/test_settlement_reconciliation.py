"""S-04 reconciliation: pure checks, and a run or close that does not reconcile changes nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from mediprima_contracts.events.topics import SETTLEMENTS
from mediprima_contracts.testing import random_enterprise_number
from servicekit.auth import Role
from servicekit.errors import Conflict
from servicekit.testing import TokenFactory
from settlement.ledger.rules import booking_month_s04, next_month
from settlement.settlements import repository, rules
from settlement.settlements.files.layout import money
from settlement.settlements.rules import FileSums, Sums

from .feeding import deliver, paid, run, settled_lines

OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
A, B = "0200000001", "0200000002"


def _reconcile(**changes: Any) -> list[str]:
    ledger_per_ocmw = {A: Sums(100, 20, 3, 2, 1), B: Sums(50, 0, 0, 1, 1)}
    arguments: dict[str, Any] = {
        "ledger": Sums(150, 20, 3, 3, 2),
        "ledger_per_ocmw": ledger_per_ocmw,
        "funder_files": [FileSums("funder", Sums(150, 20, 3, 3, 2), ledger_per_ocmw)],
        "statements": {
            ocmw: FileSums(f"ocmw-{ocmw}", sums, {"provider:1": sums, "person:2": sums})
            for ocmw, sums in ledger_per_ocmw.items()
        },
    }
    return rules.reconcile_s04(**{**arguments, **changes})


def test_s04_a_month_whose_files_add_up_to_the_ledger_reconciles() -> None:
    assert _reconcile() == []


def test_s04_a_funder_file_one_cent_off_does_not_reconcile() -> None:
    off = FileSums(
        "funder", Sums(151, 20, 3, 3, 2), {A: Sums(101, 20, 3, 2, 1), B: Sums(50, 0, 0, 1, 1)}
    )

    differences = _reconcile(funder_files=[off])

    assert any(difference.startswith("funder:") for difference in differences)
    assert any(f"funder OCMW {A}" in difference for difference in differences)


def test_s04_a_missing_statement_does_not_reconcile() -> None:
    only_a = {A: FileSums(f"ocmw-{A}", Sums(100, 20, 3, 2, 1), {})}

    differences = _reconcile(statements=only_a)

    assert "OCMW statements: OCMWs differ from the ledger's" in differences
    assert any(d.startswith("all OCMW statements") for d in differences)


def test_s04_statement_totals_per_provider_must_add_up() -> None:
    sums = Sums(100, 20, 3, 2, 1)
    statement = FileSums(
        f"ocmw-{A}",
        sums,
        {"provider:1": dataclasses.replace(sums, state_share=99), "person:2": sums},
    )
    ledger_b = Sums(50, 0, 0, 1, 1)
    others = {B: FileSums(f"ocmw-{B}", ledger_b, {"provider:1": ledger_b})}

    differences = _reconcile(statements={A: statement, **others})

    assert [d for d in differences if "per provider" in d]


def test_s04_not_reconciled_is_a_conflict_naming_every_difference() -> None:
    with pytest.raises(Conflict) as raised:
        rules.ensure_reconciled_s04("2025-10", ["funder: x", "ocmw: y"])

    assert [item.rule for item in raised.value.errors] == ["S-04", "S-04"]
    assert raised.value.errors[0].code == "settlement.not_reconciled"


def test_s04_each_line_totals_its_three_shares() -> None:
    assert Sums(2600, 400, 5, 1, 1).total == 3005
    assert money(-3005) == "-30.05"
    assert money(5) == "0.05"


def test_s04_a_closed_month_books_into_the_next_open_one() -> None:
    assert booking_month_s04("2025-10", set()) == "2025-10"
    assert booking_month_s04("2025-10", {"2025-10"}) == "2025-11"
    assert booking_month_s04("2025-12", {"2025-12", "2026-01"}) == "2026-02"
    assert next_month("2025-12") == "2026-01"


def test_s04_refusing_a_closed_month() -> None:
    rules.refuse_closed_month_s04(status="open", month="2025-10")
    with pytest.raises(Conflict):
        rules.refuse_closed_month_s04(status="closed", month="2025-10")


def test_s02_statement_language_and_name() -> None:
    assert rules.statement_language_s02("nl", name_nl="OCMW Gent", name_fr=None) == "nl"
    assert rules.statement_language_s02("de", name_nl=None, name_fr="CPAS d'Eupen") == "fr"
    assert rules.statement_language_s02(None, name_nl="OCMW Aalst", name_fr=None) == "nl"
    name = rules.statement_name_s02("fr", enterprise_number=A, name_nl="OCMW Gent", name_fr=None)
    assert name == "OCMW Gent"


async def _ledger_one_cent_off(*args: Any, **kwargs: Any) -> Sums:
    sums = await _real_month_sums(*args, **kwargs)
    return dataclasses.replace(sums, state_share=sums.state_share + 1)


_real_month_sums = repository.month_sums


async def test_s04_a_run_that_does_not_reconcile_fails_loudly_and_stores_nothing(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    monkeypatch.setattr(repository, "month_sums", _ledger_one_cent_off)

    refused = await run(client, operator, "2025-10")

    assert refused.status_code == 409
    problem = refused.json()
    assert problem["errors"][0]["rule"] == "S-04"
    assert problem["errors"][0]["code"] == "settlement.not_reconciled"
    monkeypatch.undo()
    view = await settled_lines(client, operator, "2025-10", 1)
    assert view["reconciliation"]["reconciled"] is True


async def test_s04_a_close_that_does_not_reconcile_closes_nothing(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    published: Any,
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    view = await settled_lines(client, operator, "2025-10", 1)
    monkeypatch.setattr(repository, "month_sums", _ledger_one_cent_off)

    refused = await client.post(f"/v1/settlements/{view['settlement_id']}/close", headers=operator)

    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "S-04"
    after = await client.get(f"/v1/settlements/{view['settlement_id']}", headers=operator)
    assert after.json()["status"] == "open"
    assert await published(SETTLEMENTS, expected=0) == []
