"""S-02 statements: the OCMW's own language and name from the decision events, a readable PDF,
and downloads identical to the files the run hashed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pymupdf

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing import random_enterprise_number
from mediprima_contracts.testing.events import example_decision_version_published
from servicekit.auth import Role
from servicekit.testing import TokenFactory

from .feeding import deliver, envelope, paid, settled_lines

OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)


def _decision_of(ocmw: str, **names: str) -> DecisionVersionPublished:
    return example_decision_version_published(
        ocmw={"enterprise_number": ocmw, "municipality_nis": "62063", **names}
    )


def _pdf_text_and_png(body: bytes) -> tuple[str, bytes]:
    with pymupdf.open(stream=body, filetype="pdf") as document:
        page = document[0]
        return page.get_text(), page.get_pixmap(dpi=72).tobytes("png")


async def test_s02_the_pdf_statement_is_in_french_for_a_french_speaking_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw = random_enterprise_number()
    await deliver(tmp_path, _decision_of(ocmw, name_fr="CPAS de Liège", language="fr"))
    await deliver(
        tmp_path,
        paid(at=OCTOBER, ocmw=ocmw, state="1234.50", share="10.00", patient="2.05"),
        paid(at=OCTOBER, ocmw=ocmw, state="0.50", share="0.00", patient="0.00"),
    )
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 2, named="CPAS de Liège")

    response = await client.get(
        f"/v1/settlements/{view['settlement_id']}/ocmw/{ocmw}",
        headers=tokens.headers(Role.OCMW, ocmw, Accept="application/pdf"),
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text, png = _pdf_text_and_png(response.content)
    assert png.startswith(b"\x89PNG")
    assert "Décompte mensuel MediPrima" in text
    assert "CPAS de Liège" in text
    assert ocmw in text
    assert "1 235,00" in text  # state share
    assert "1 247,05" in text  # total
    assert view["per_ocmw"][0]["name"] == "CPAS de Liège"
    assert view["per_ocmw"][0]["language"] == "fr"


async def test_s02_the_pdf_statement_is_in_dutch_for_a_dutch_speaking_ocmw(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw = random_enterprise_number()
    decision = _decision_of(ocmw, name_nl="OCMW Gent", name_fr="CPAS de Gand", language="nl")
    await deliver(tmp_path, decision, paid(at=OCTOBER, ocmw=ocmw))
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 1, named="OCMW Gent")

    response = await client.get(
        f"/v1/settlements/{view['settlement_id']}/ocmw/{ocmw}",
        headers={**operator, "Accept": "application/pdf"},
    )

    text, _ = _pdf_text_and_png(response.content)
    assert "Maandelijkse afrekening MediPrima" in text
    assert "OCMW Gent" in text
    assert "26,00" in text
    assert "30,00" in text


async def test_s02_downloads_are_the_files_the_run_hashed(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw = random_enterprise_number()
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=ocmw), paid(at=OCTOBER, ocmw=ocmw))
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    view = await settled_lines(client, operator, "2025-10", 2)
    base = f"/v1/settlements/{view['settlement_id']}"

    formats = (("csv", "text/csv"), ("json", "application/json"))
    urls = {"funder-2025-10": f"{base}/funder-file", f"ocmw-{ocmw}-2025-10": f"{base}/ocmw/{ocmw}"}
    downloads = {
        f"{name}.{ext}": await client.get(url, headers={**operator, "Accept": media})
        for name, url in urls.items()
        for ext, media in formats
    }

    assert {name: hashlib.sha256(r.content).hexdigest() for name, r in downloads.items()} == view[
        "files"
    ]
    statement = downloads[f"ocmw-{ocmw}-2025-10.json"].json()
    assert statement["ocmw"]["name"] == f"OCMW/CPAS {ocmw}"  # no decision seen: its number


async def test_s02_an_ocmw_without_lines_in_the_month_has_no_statement(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    await deliver(tmp_path, paid(at=OCTOBER, ocmw=random_enterprise_number()))
    view = await settled_lines(client, tokens.headers(Role.OPERATOR, "op"), "2025-10", 1)
    absent = random_enterprise_number()

    response = await client.get(
        f"/v1/settlements/{view['settlement_id']}/ocmw/{absent}",
        headers=tokens.headers(Role.OCMW, absent),
    )

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "settlement.ocmw_not_in_month"


async def test_s02_the_newest_decision_names_the_ocmw_whatever_the_order_of_arrival(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ocmw, marker = random_enterprise_number(), random_enterprise_number()
    newer = _decision_of(ocmw, name_nl="OCMW Sint-Niklaas", language="nl")
    older = _decision_of(ocmw, name_nl="OCMW Sint Niklaas (oud)", language="nl")
    await deliver(
        tmp_path,
        envelope(newer, occurred_at=datetime(2025, 10, 2, tzinfo=UTC)),
        envelope(older, occurred_at=datetime(2025, 10, 1, tzinfo=UTC)),
        # applied after both on the same key: once its name shows, the older one was applied
        _decision_of(marker, name_nl="OCMW Merkteken", language="nl"),
        paid(at=OCTOBER, ocmw=ocmw),
        paid(at=OCTOBER, ocmw=marker),
    )
    operator = tokens.headers(Role.OPERATOR, "operator-1")

    view = await settled_lines(client, operator, "2025-10", 2, named="OCMW Merkteken")

    names = {entry["enterprise_number"]: entry["name"] for entry in view["per_ocmw"]}
    assert names[ocmw] == "OCMW Sint-Niklaas"
