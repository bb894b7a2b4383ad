"""S-01 … S-04 through the API: the ledger from paid and credited lines, runs, files, close."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.settlements import SettlementClosed
from mediprima_contracts.events.topics import SETTLEMENTS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing import random_enterprise_number
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .feeding import credit_of, deliver, paid, run, settled_lines

OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 5, 10, 0, tzinfo=UTC)
CSV = {"Accept": "text/csv"}
JSON = {"Accept": "application/json"}


def _operator(tokens: TokenFactory) -> dict[str, str]:
    return tokens.headers(Role.OPERATOR, "operator-1")


def _csv(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


async def test_s01_the_funder_file_holds_every_paid_line_and_the_totals(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw_a, ocmw_b = random_enterprise_number(), random_enterprise_number()
    first = paid(at=OCTOBER, ocmw=ocmw_a)
    second = paid(at=OCTOBER, ocmw=ocmw_b, state="10.10", share="0.00", patient="1.25")
    await deliver(tmp_path, first, second)
    operator = _operator(tokens)

    view = await settled_lines(client, operator, "2025-10", 2)

    assert view["totals"] == {
        "state_share": "36.10", "ocmw_share": "4.00", "patient_share": "1.25",
        "total": "41.35", "lines": 2, "invoices": 2,
    }  # fmt: skip
    assert view["reconciliation"]["reconciled"] is True
    url = f"/v1/settlements/{view['settlement_id']}/funder-file"
    as_csv = await client.get(url, headers={**operator, **CSV})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    records = _csv(as_csv.text)
    lines = [record for record in records if record["record_type"] == "line"]
    assert sorted(record["invoice_id"] for record in lines) == sorted(
        [first.invoice_id, second.invoice_id]
    )
    assert records[-1]["record_type"] == "total"
    assert (records[-1]["state_share"], records[-1]["total"], records[-1]["lines"]) == (
        "36.10", "41.35", "2",
    )  # fmt: skip
    as_json = (await client.get(url, headers={**operator, **JSON})).json()
    assert as_json["format"] == "mediprima.settlement.funder-file/2"
    assert len(as_json["lines"]) == 2
    assert as_json["totals"]["total"] == "41.35"
    assert {entry["enterprise_number"] for entry in as_json["per_ocmw"]} == {ocmw_a, ocmw_b}
    assert view["files"]["funder-2025-10.csv"] == hashlib.sha256(as_csv.content).hexdigest()


async def test_s01_redelivered_payments_are_booked_once(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    line = paid(at=OCTOBER, ocmw=random_enterprise_number())
    await deliver(tmp_path, line, line)  # the same payment twice, under two event ids
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))

    view = await settled_lines(client, _operator(tokens), "2025-10", 2)

    assert view["totals"]["lines"] == 2
    assert view["totals"]["state_share"] == "52.00"


async def test_s01_one_provider_payment_of_several_invoices_books_every_line(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw = random_enterprise_number()
    first = paid(at=OCTOBER, ocmw=ocmw)
    # Invoicing pays a provider once per run: its invoices share the payment reference, and
    # each has its own line 1.
    second = paid(at=OCTOBER, ocmw=ocmw).model_copy(
        update={"payment_reference": first.payment_reference, "provider": first.provider}
    )
    await deliver(tmp_path, first, second, second)

    view = await settled_lines(client, _operator(tokens), "2025-10", 2)

    assert view["totals"]["lines"] == 2
    assert view["totals"]["invoices"] == 2
    assert view["totals"]["state_share"] == "52.00"


async def test_s02_each_ocmw_reads_only_its_own_statement_in_its_language(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, other = random_enterprise_number(), random_enterprise_number()
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=ocmw), paid(at=OCTOBER, ocmw=other))
    view = await settled_lines(client, _operator(tokens), "2025-10", 2)
    url = f"/v1/settlements/{view['settlement_id']}/ocmw"

    own = await client.get(f"{url}/{ocmw}", headers=tokens.headers(Role.OCMW, ocmw, **JSON))
    foreign = await client.get(f"{url}/{other}", headers=tokens.headers(Role.OCMW, ocmw, **JSON))
    by_operator = await client.get(f"{url}/{other}", headers={**_operator(tokens), **CSV})

    assert own.status_code == 200
    statement = own.json()
    assert statement["ocmw"]["enterprise_number"] == ocmw
    assert [line["ocmw"] for line in statement["lines"]] == [ocmw]
    assert statement["totals"]["total"] == "30.00"
    assert len(statement["per_provider"]) == len(statement["per_person"]) == 1
    assert foreign.status_code == 403
    assert foreign.json()["errors"][0]["rule"] == "S-02"
    assert by_operator.status_code == 200
    assert _csv(by_operator.text)[-1]["record_type"] == "total"


async def test_s03_a_format_not_offered_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    view = await settled_lines(client, _operator(tokens), "2025-10", 1)

    response = await client.get(
        f"/v1/settlements/{view['settlement_id']}/funder-file",
        headers={**_operator(tokens), "Accept": "application/pdf"},
    )

    assert response.status_code == 406
    assert response.json()["errors"][0]["rule"] == "S-03"


async def _close(client: httpx.AsyncClient, operator: dict[str, str], view: dict[str, Any]) -> Any:
    response = await client.post(f"/v1/settlements/{view['settlement_id']}/close", headers=operator)
    assert response.status_code == 200, response.text
    return response.json()


async def test_s04_close_freezes_the_month_and_publishes_every_file_checksum(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: Any
) -> None:
    ocmw = random_enterprise_number()
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=ocmw))
    operator = _operator(tokens)
    view = await settled_lines(client, operator, "2025-10", 1)

    closed = await _close(client, operator, view)
    again = await run(client, operator, "2025-10")
    close_again = await client.post(
        f"/v1/settlements/{view['settlement_id']}/close", headers=operator
    )

    assert closed["status"] == "closed"
    names = {f"funder-2025-10.{ext}" for ext in ("csv", "json")} | {
        f"ocmw-{ocmw}-2025-10.{ext}" for ext in ("csv", "json", "pdf")
    }
    assert set(closed["files"]) == names
    pdf = await client.get(
        f"/v1/settlements/{view['settlement_id']}/ocmw/{ocmw}",
        headers={**operator, "Accept": "application/pdf"},
    )
    assert hashlib.sha256(pdf.content).hexdigest() == closed["files"][f"ocmw-{ocmw}-2025-10.pdf"]
    assert again.status_code == 409
    assert again.json()["errors"][0]["rule"] == "S-04"
    assert close_again.status_code == 409
    records = await published(SETTLEMENTS)
    event = parse_envelope(records[0].value).data
    assert isinstance(event, SettlementClosed)
    assert event.file_checksums == closed["files"]
    assert str(event.totals.state_share) == "26.00"


async def test_s04_a_line_paid_after_its_month_closed_falls_into_the_next_open_month(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = _operator(tokens)
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    october = await settled_lines(client, operator, "2025-10", 1)
    await _close(client, operator, october)

    late = paid(at=OCTOBER, ocmw=random_enterprise_number())
    await deliver(tmp_path, late)
    november = await settled_lines(client, operator, "2025-11", 1)

    assert november["totals"]["lines"] == 1
    october_after = await client.get(
        f"/v1/settlements/{october['settlement_id']}", headers=operator
    )
    assert october_after.json()["totals"] == october["totals"]
    assert october_after.json()["files"] == (await _files(client, operator, october))


async def _files(client: httpx.AsyncClient, operator: dict[str, str], view: dict[str, Any]) -> Any:
    return (await client.get(f"/v1/settlements/{view['settlement_id']}", headers=operator)).json()[
        "files"
    ]


async def test_s04_a_credit_of_a_line_paid_in_a_closed_month_is_booked_in_its_own_month(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    operator = _operator(tokens)
    ocmw = random_enterprise_number()
    original = paid(at=OCTOBER, ocmw=ocmw)
    await deliver(tmp_path, original)
    october = await settled_lines(client, operator, "2025-10", 1)
    await _close(client, operator, october)

    await deliver(tmp_path, credit_of(original, at=NOVEMBER))
    november = await settled_lines(client, operator, "2025-11", 1)

    assert november["totals"]["state_share"] == "-26.00"
    assert november["totals"]["total"] == "-30.00"
    funder = await client.get(
        f"/v1/settlements/{november['settlement_id']}/funder-file", headers={**operator, **JSON}
    )
    (credit,) = funder.json()["lines"]
    assert credit["entry"] == "credit"
    assert credit["payment_reference"] == original.payment_reference
    assert (credit["invoice_id"], credit["line_number"]) == (original.invoice_id, 1)
    unchanged = await client.get(f"/v1/settlements/{october['settlement_id']}", headers=operator)
    assert unchanged.json()["totals"]["state_share"] == "26.00"
