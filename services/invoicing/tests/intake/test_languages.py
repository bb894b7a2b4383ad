"""A GP reads an invoice's refusals and its lines' verdict reasons in Dutch or French."""

from pathlib import Path

import httpx

from servicekit.testing import TokenFactory

from ..support import Gp, invoice_body, key, new_ssin, rejected, submit_and_adjudicate


async def test_i03_a_rejected_line_s_reasons_are_in_the_callers_language(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [rejected("C-01", "decision.none")]
    )
    url = f"/v1/invoices/{invoice['invoice_id']}"

    dutch = await client.get(url, headers={**gp.headers, "Accept-Language": "nl"})
    french = await client.get(url, headers={**gp.headers, "Accept-Language": "fr"})

    assert invoice["lines"][0]["reasons"][0]["message"] == "refused by the payer"
    assert dutch.json()["lines"][0]["reasons"] == [
        {
            "rule": "C-01",
            "code": "decision.none",
            "message": "Geen OCMW-beslissing voor deze persoon",
            "field": None,
        }
    ]
    assert french.json()["lines"][0]["reasons"] == [
        {
            "rule": "C-01",
            "code": "decision.none",
            "message": "Aucune décision de CPAS pour cette personne",
            "field": None,
        }
    ]
    assert (dutch.headers["content-language"], french.headers["content-language"]) == ("nl", "fr")


async def test_i01_an_unknown_invoice_and_a_care_date_in_the_future_are_refused_in_french(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    headers = {**gp.headers, "Accept-Language": "fr"}
    body = invoice_body(new_ssin())
    body["lines"][0]["date_of_care"] = "2199-01-01"

    unknown = await client.get("/v1/invoices/no-such-invoice", headers=headers)
    future = await client.post("/v1/invoices", json=body, headers={**headers, **key()})

    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Introuvable"
    assert unknown.json()["errors"][0] == {
        "rule": "I-01",
        "code": "invoice.not_found",
        "message": "Facture introuvable",
        "field": None,
    }
    assert future.status_code == 422
    [item] = future.json()["errors"]
    assert (item["rule"], item["code"]) == ("I-01", "line.date_in_future")
    assert item["message"] == "La date des soins est postérieure à aujourd'hui"
