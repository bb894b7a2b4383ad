"""One person, whatever the number (D-08): a line billed under a replaced number is refused
(I-05b), the monthly cap counts the person's lines under every number (T-03), and the verdict
names the person so invoicing's duplicate check follows the person too (I-02)."""

import uuid
from pathlib import Path

import httpx

from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_invoice_submitted,
)
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.testing.numbers import make_ssin
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, eventually, revised

from .test_invoice_pricing import CARE_DAY, priced_invoices, simulate, urgent_aid_decision


def numbers(sequence: int) -> tuple[str, str]:
    """A BIS number and the register number that replaces it."""
    return (
        make_ssin(year=1990, month=3, day=4, sequence=sequence, bis_offset=40),
        make_ssin(year=1990, month=3, day=4, sequence=sequence),
    )


async def test_i05b_d08_t03_billing_follows_the_person_across_a_number_change(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    bis, register = numbers(sequence=431)
    person_id = "P" + uuid.uuid4().hex
    under_bis = urgent_aid_decision(ssin=bis, person_id=person_id)
    renumbered = revised(
        under_bis,
        version=2,
        ssin=register,
        replaced_ssins=[bis],
        change_kind="reactivated",
    )
    certificate = example_certificate_registered(ssin=bis, provider=gp)
    invoice_under_bis = example_invoice_submitted(
        ssin=bis,
        provider=gp,
        agreement_number=None,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "32.79"}],
    )
    await deliver(tmp_path, under_bis, certificate)
    await eventually(
        lambda: simulate(client, tokens, gp, bis, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )
    await deliver(tmp_path, invoice_under_bis)
    [before] = await priced_invoices(published, 1)
    await deliver(tmp_path, renumbered, key=under_bis.decision_number)
    refused = await eventually(
        lambda: simulate(client, tokens, gp, bis, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["refusal"] is not None,
    )
    under_register = await simulate(client, tokens, gp, register, [{"code": "101032"}])

    assert before.person_id == person_id
    assert before.lines[0].ocmw_share == 4  # the OCMW's 6.00 monthly cap: 4.00 used
    line = refused.json()["lines"][0]
    assert (line["refusal"]["rule"], line["refusal"]["code"]) == (
        "I-05b",
        "beneficiary.number_replaced",
    )
    # The certificate filed under the BIS number and the cap used under it both count.
    [priced] = under_register.json()["lines"]
    assert priced["refusal"] is None
    assert (priced["decision_number"], priced["version"]) == (under_bis.decision_number, 2)
    assert priced["ocmw_share"] == "2.00"
