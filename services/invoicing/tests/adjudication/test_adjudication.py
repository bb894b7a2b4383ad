"""I-02/I-03/I-04: verdicts line by line, duplicates and late care refused, status and history."""

import json
from datetime import timedelta
from pathlib import Path

import httpx

from mediprima_contracts.events.topics import INVOICES
from mediprima_contracts.testing.factories import random_bis_number
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory

from ..support import (
    CARE_DAY,
    TODAY,
    Gp,
    Line,
    accepted,
    invoice_body,
    new_person_id,
    new_ssin,
    operator,
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


async def test_i02_the_same_care_under_the_old_and_the_new_number_is_accepted_once(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    gp, person = Gp.new(tokens), new_person_id()
    bis_number, register_number = str(random_bis_number()), new_ssin()
    first = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(bis_number), [accepted()], person_id=person
    )

    # The BIS number was replaced by a register number (D-08): pricing names the same person.
    again = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(register_number), [accepted()], person_id=person
    )
    run = await client.post("/v1/payment-runs", headers=operator(tokens))

    assert first["status"] == "accepted"
    assert again["status"] == "rejected"
    [duplicate] = again["lines"]
    assert [(r["rule"], r["code"]) for r in duplicate["reasons"]] == [("I-02", "line.duplicate")]
    assert duplicate["state_share"] == duplicate["ocmw_share"] == "0.00"
    assert (run.json()["paid_invoices"], run.json()["amount"]) == (1, "33.51")
    events = [json.loads(record.value) for record in await published(INVOICES, expected=5)]
    adjudicated = {
        event["data"]["invoice_id"]: (event["data"]["ssin"], event["data"]["person_id"])
        for event in events
        if event["type"] == "mediprima.invoice.adjudicated"
    }
    assert adjudicated == {
        first["invoice_id"]: (bis_number, person),
        again["invoice_id"]: (register_number, person),
    }


async def test_i02_a_line_accepted_before_pricing_knew_the_person_still_blocks_its_number(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp, ssin = Gp.new(tokens), new_ssin()
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(ssin), [accepted()])

    named = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(ssin), [accepted()], person_id=new_person_id()
    )

    assert named["status"] == "rejected"
    assert named["lines"][0]["reasons"][0]["code"] == "line.duplicate"


async def test_i02_two_people_named_by_pricing_are_never_each_others_duplicate(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()], person_id=new_person_id()
    )

    other = await submit_and_adjudicate(
        client, tmp_path, gp, invoice_body(new_ssin()), [accepted()], person_id=new_person_id()
    )

    assert other["status"] == "accepted"


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
