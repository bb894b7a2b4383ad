"""I-02/I-03/I-04: verdicts line by line, duplicates and late care refused, status and history."""

import json
from datetime import timedelta
from pathlib import Path

import httpx

from mediprima_contracts.events.topics import INVOICES
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    CARE_DAY,
    TODAY,
    Gp,
    Line,
    accepted,
    invoice_body,
    new_ssin,
    rejected,
    submit_and_adjudicate,
)


async def test_i03_lines_are_judged_one_by_one_and_the_status_follows(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    two_lines = invoice_body(new_ssin(), Line(), Line(code="102771", amount="38.16"))

    partly = await submit_and_adjudicate(
        client, tmp_path, gp, two_lines, [accepted(), rejected("C-04", "certificate.missing")]
    )
    fully = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
    )
    not_at_all = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [rejected()]
    )

    assert partly["status"] == "partially_accepted"
    assert [line["status"] for line in partly["lines"]] == ["accepted", "rejected"]
    assert partly["lines"][0]["reasons"] == []
    assert partly["lines"][1]["reasons"][0]["rule"] == "C-04"
    assert partly["lines"][1]["reasons"][0]["code"] == "certificate.missing"
    assert partly["lines"][0]["state_share"] == "29.51"
    assert partly["totals"]["state_share"] == "29.51"
    assert partly["totals"]["ocmw_share"] == "4.00"
    assert fully["status"] == "accepted"
    assert not_at_all["status"] == "rejected"
    history = [change["status"] for change in partly["history"]]
    assert history == ["received", "partially_accepted"]
    assert partly["history"][0]["changed_at"] <= partly["history"][1]["changed_at"]
    events = [json.loads(record.value) for record in await published(INVOICES, expected=6)]
    adjudicated = {
        event["data"]["invoice_id"]: event["data"]["status"]
        for event in events
        if event["type"] == "mediprima.invoice.adjudicated"
    }
    assert adjudicated == {
        partly["invoice_id"]: "partially_accepted",
        fully["invoice_id"]: "accepted",
        not_at_all["invoice_id"]: "rejected",
    }


async def test_i02_a_line_duplicating_an_accepted_line_of_another_invoice_is_rejected(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp = Gp.new(tokens)
    ssin = new_ssin()
    first = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(ssin, Line()), [accepted()]
    )
    other_day = Line(date_of_care=CARE_DAY - timedelta(days=1))
    again = invoice_body(ssin, Line(), other_day)

    second = await submit_and_adjudicate(client, tmp_path, gp, again, [accepted(), accepted()])

    assert first["status"] == "accepted"
    assert second["status"] == "partially_accepted"
    duplicate, new_care = second["lines"]
    assert duplicate["status"] == "rejected"
    assert [(r["rule"], r["code"]) for r in duplicate["reasons"]] == [("I-02", "line.duplicate")]
    assert duplicate["state_share"] == duplicate["ocmw_share"] == "0.00"
    assert new_care["status"] == "accepted"
    events = [json.loads(record.value) for record in await published(INVOICES, expected=4)]
    published_lines = next(
        event["data"]["lines"]
        for event in events
        if event["type"] == "mediprima.invoice.adjudicated"
        and event["data"]["invoice_id"] == second["invoice_id"]
    )
    assert [line["verdict"] for line in published_lines] == ["rejected", "accepted"]


async def test_i02_the_same_care_for_another_person_or_provider_is_no_duplicate(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, colleague, ssin = Gp.new(tokens), Gp.new(tokens), new_ssin()
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])

    other_person = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
    )
    other_provider = await submit_and_adjudicate(
        client, tmp_path, colleague, invoice_body(ssin), [accepted()]
    )

    assert other_person["status"] == other_provider["status"] == "accepted"


async def test_i02_a_line_repeated_within_one_invoice_is_rejected_once(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)

    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin(), Line(), Line()), [accepted(), accepted()]
    )

    assert [line["status"] for line in invoice["lines"]] == ["accepted", "rejected"]
    assert invoice["lines"][1]["reasons"][0]["code"] == "line.duplicate"


async def test_i02_a_rejected_earlier_line_does_not_block_the_corrected_one(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [rejected()])

    corrected = await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])

    assert corrected["status"] == "accepted"


async def test_i04_care_billed_more_than_two_years_later_is_rejected(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    too_old = Line(date_of_care=TODAY.replace(year=TODAY.year - 2) - timedelta(days=1))
    just_in_time = Line(date_of_care=TODAY.replace(year=TODAY.year - 2), code="102771")

    invoice = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin(), too_old, just_in_time), [accepted()] * 2
    )

    late, in_time = invoice["lines"]
    assert late["status"] == "rejected"
    assert [(r["rule"], r["code"]) for r in late["reasons"]] == [
        ("I-04", "care.billing_limit_exceeded")
    ]
    assert in_time["status"] == "accepted"
    assert invoice["status"] == "partially_accepted"
