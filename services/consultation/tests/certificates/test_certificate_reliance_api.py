"""C-04: once a paid line relies on a certificate (`InvoicePaid` on `mediprima.invoices`), it can
no longer be withdrawn, only corrected by a new version that still certifies the paid care."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events.invoices import InvoicePaid
from mediprima_contracts.testing.events import example_invoice_paid
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.bus.factory import dead_letter_topic
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, envelope, eventually

from .test_certificates_api import certificate, file

PATH = "/v1/urgent-aid-certificates"


def paid(ssin: str, provider: str, *certificates: str | None) -> InvoicePaid:
    """A payment of one line per certificate named (None: a line relying on none)."""
    line = example_invoice_paid().lines[0].model_dump()
    lines = [
        {**line, "line_number": number, "date_of_care": "2025-02-14", "certificate_number": name}
        for number, name in enumerate(certificates, start=1)
    ]
    return example_invoice_paid(
        ssin=ssin, provider=provider, lines=lines, amount=f"{30 * len(lines)}.00"
    )


async def relied_on(
    client: httpx.AsyncClient, tokens: TokenFactory, author: str, number: str
) -> Any:
    response = await eventually(
        lambda: client.get(f"{PATH}/{number}", headers=tokens.headers(Role.GP, author)),
        lambda answer: answer.json()["relied_on"],
    )
    return response.json()


async def test_c04_a_certificate_a_paid_line_relies_on_is_never_withdrawn(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, published: ReadTopic
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    other = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    payment = envelope(paid(ssin, author, number, None, "000000000097"))

    await deliver(tmp_path, payment, payment)  # redelivered
    await deliver(tmp_path, envelope(payment.data))  # and published again under a new id
    read = await relied_on(client, tokens, author, number)
    headers = tokens.headers(Role.GP, author)
    refused = await client.delete(f"{PATH}/{number}", headers=headers)
    not_relied_on = await client.delete(f"{PATH}/{other}", headers=headers)

    assert read["relied_on"] is True
    assert refused.status_code == 409
    assert (refused.json()["errors"][0]["rule"], refused.json()["errors"][0]["code"]) == (
        "C-04",
        "certificate.relied_on",
    )
    assert not_relied_on.status_code == 204
    assert (await client.get(f"{PATH}/{number}", headers=headers)).json()["withdrawn_at"] is None
    # Nothing failed: neither the repeats nor the line naming a certificate unknown here.
    assert await published(dead_letter_topic("consultation.payments"), expected=0) == []


async def test_c04_a_relied_on_certificate_is_corrected_only_keeping_the_paid_care(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    ssin, author = random_ssin(), random_gp_riziv()
    number = (await file(client, tokens, author, certificate(ssin))).json()["certificate_number"]
    await deliver(tmp_path, paid(ssin, author, number))
    await relied_on(client, tokens, author, number)

    async def correct(**changes: Any) -> httpx.Response:
        return await client.put(
            f"{PATH}/{number}",
            json={**certificate(ssin), **changes},
            headers=tokens.headers(Role.GP, author),
        )

    narrowed = await correct(valid_from="2025-02-10", valid_until="2025-03-31")
    past_the_paid_day = await correct(valid_from="2025-02-15", valid_until="2025-03-31")
    other_care = await correct(care_type="paramedical")
    other_person = await correct(ssin=random_ssin())

    assert narrowed.status_code == 200
    assert narrowed.json()["version"] == 2
    assert narrowed.json()["relied_on"] is True
    for refused in (past_the_paid_day, other_care):
        assert refused.status_code == 409
        assert refused.json()["errors"][0]["code"] == "certificate.paid_care_uncovered"
    other = other_person.json()["errors"][0]
    assert (other_person.status_code, other["code"]) == (409, "certificate.paid_care_uncovered")
