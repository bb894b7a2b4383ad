"""I-04: the funder's written approvals, recorded by operators, let care billed after two years
through; the verdict cites them. Without one, or recorded too late, the line stays refused."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.topics import INVOICES
from mediprima_contracts.testing.factories import random_bis_number
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    TODAY,
    Gp,
    Line,
    accepted,
    invoice_body,
    new_person_id,
    new_ssin,
    operator,
    submit_and_adjudicate,
)

OLD_CARE = TODAY.replace(year=TODAY.year - 3)
URL = "/v1/late-billing-approvals"


def approval(
    gp: Gp,
    ssin: str,
    *,
    reference: str | None = None,
    start: date = OLD_CARE - timedelta(days=10),
    end: date = OLD_CARE + timedelta(days=10),
    approved_on: date = TODAY,
    person_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reference": reference or f"PODMI-{new_ssin()}",
        "provider": gp.riziv,
        "ssin": ssin,
        "care_period": {"start": start.isoformat(), "end": end.isoformat()},
        "approved_on": approved_on.isoformat(),
    }
    if person_id is not None:
        body["person_id"] = person_id
    return body


async def record(client: httpx.AsyncClient, tokens: TokenFactory, body: dict[str, Any]) -> None:
    response = await client.post(URL, json=body, headers=operator(tokens))
    assert response.status_code == 201, response.text


async def test_i04_an_approval_is_recorded_once_per_reference(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    body = approval(gp, ssin)

    first = await client.post(URL, json=body, headers=operator(tokens))
    again = await client.post(URL, json=body, headers=operator(tokens))
    changed = await client.post(
        URL, json={**body, "approved_on": (TODAY - timedelta(days=1)).isoformat()},
        headers=operator(tokens),
    )  # fmt: skip
    listed = await client.get(URL, params={"provider": gp.riziv}, headers=operator(tokens))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert first.json()["care_period"] == body["care_period"]
    assert changed.status_code == 409
    assert [(p["rule"], p["code"]) for p in changed.json()["errors"]] == [
        ("I-04", "approval.reference_reused")
    ]
    assert [item["reference"] for item in listed.json()["items"]] == [body["reference"]]


async def test_i04_an_approval_from_the_future_or_for_a_reversed_period_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    body = approval(
        gp, ssin, start=OLD_CARE, end=OLD_CARE - timedelta(days=1), approved_on=TODAY + timedelta(1)
    )

    refused = await client.post(URL, json=body, headers=operator(tokens))
    malformed = await client.post(
        URL, json={**body, "provider": "12345", "extra": 1}, headers=operator(tokens)
    )
    listed = await client.get(URL, params={"ssin": ssin}, headers=operator(tokens))

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [(p["rule"], p["code"], p["field"]) for p in refused.json()["errors"]] == [
        ("I-04", "approval.period_order", "care_period.end"),
        ("I-04", "approval.approved_in_future", "approved_on"),
    ]
    assert malformed.status_code == 422
    assert {p["field"] for p in malformed.json()["errors"]} == {"provider", "extra"}
    assert listed.json()["items"] == []


async def test_i04_only_operators_record_and_read_approvals(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)

    posted = await client.post(URL, json=approval(gp, new_ssin()), headers=gp.headers)
    read = await client.get(URL, headers=gp.headers)

    assert (posted.status_code, read.status_code) == (403, 403)


async def test_i04_approvals_are_listed_by_provider_and_person_in_pages(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp, colleague, ssin = Gp.new(tokens), Gp.new(tokens), new_ssin()
    mine = [approval(gp, ssin) for _ in range(3)]
    for body in [*mine, approval(gp, new_ssin()), approval(colleague, ssin)]:
        await record(client, tokens, body)

    page = await client.get(
        URL, params={"provider": gp.riziv, "ssin": ssin, "limit": 2}, headers=operator(tokens)
    )
    rest = await client.get(
        URL,
        params={"provider": gp.riziv, "ssin": ssin, "offset": page.json()["next_offset"]},
        headers=operator(tokens),
    )

    assert [item["reference"] for item in page.json()["items"] + rest.json()["items"]] == [
        body["reference"] for body in mine
    ]
    assert page.json()["next_offset"] == 2
    assert rest.json()["next_offset"] is None


async def test_i04_a_late_line_covered_by_an_approval_is_accepted_and_cites_it(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    letter = approval(gp, ssin)
    await record(client, tokens, letter)
    body = invoice_body(
        ssin, Line(date_of_care=OLD_CARE), Line(date_of_care=OLD_CARE - timedelta(30))
    )

    invoice = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()] * 2)

    approved, outside = invoice["lines"]
    assert approved["status"] == "accepted"
    [remark] = approved["reasons"]
    assert (remark["rule"], remark["code"]) == ("I-04", "care.late_billing_approved")
    assert letter["reference"] in remark["message"]
    assert approved["state_share"] == "29.51"
    assert outside["status"] == "rejected"
    assert [r["code"] for r in outside["reasons"]] == ["care.billing_limit_exceeded"]
    events = [json.loads(record.value) for record in await published(INVOICES, expected=2)]
    [adjudicated] = [e["data"] for e in events if e["type"] == "mediprima.invoice.adjudicated"]
    assert adjudicated["lines"][0]["verdict"] == "accepted"
    assert adjudicated["lines"][0]["reasons"][0]["code"] == "care.late_billing_approved"


async def test_i04_an_approval_for_another_provider_or_person_does_not_help(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, colleague, ssin = Gp.new(tokens), Gp.new(tokens), new_ssin()
    await record(client, tokens, approval(colleague, ssin))
    await record(client, tokens, approval(gp, new_ssin()))

    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(ssin, Line(date_of_care=OLD_CARE)), [accepted()]
    )

    assert invoice["status"] == "rejected"
    assert [r["code"] for r in invoice["lines"][0]["reasons"]] == ["care.billing_limit_exceeded"]


async def test_i04_an_approval_recorded_after_the_verdict_needs_a_resubmission(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    body = invoice_body(ssin, Line(date_of_care=OLD_CARE))
    refused = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()])

    await record(client, tokens, approval(gp, ssin))
    unchanged = await client.get(f"/v1/invoices/{refused['invoice_id']}", headers=gp.headers)
    resubmitted = await submit_and_adjudicate(client, tmp_path, gp, body, [accepted()])

    assert refused["status"] == "rejected"
    assert unchanged.json()["lines"] == refused["lines"]
    assert resubmitted["status"] == "accepted"


async def test_i04_an_approval_for_the_person_covers_care_billed_under_their_new_number(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, person = Gp.new(tokens), new_person_id()
    bis_number, register_number = str(random_bis_number()), new_ssin()
    await record(client, tokens, approval(gp, bis_number, person_id=person))

    invoice = await submit_and_adjudicate(
        client,
        tmp_path,
        gp,
        invoice_body(register_number, Line(date_of_care=OLD_CARE)),
        [accepted()],
        person_id=person,
    )

    assert invoice["status"] == "accepted"
    assert invoice["lines"][0]["reasons"][0]["code"] == "care.late_billing_approved"
