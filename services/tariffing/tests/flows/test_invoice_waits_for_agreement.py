"""C-02: an invoice billed before its consultation's event arrives waits for it, then is priced
as guaranteed; a number that never arrives is refused once the patience runs out."""

from pathlib import Path

import httpx

from mediprima_contracts.events import InvoicePriced, InvoiceSubmitted
from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_consultation_recorded,
    example_invoice_submitted,
)
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.values import RizivNumber
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, embedded_settings, eventually, running_service
from tariffing.main import service

from .test_invoice_pricing import CARE_DAY, ISSUED_ON, priced_invoices, urgent_aid_decision


def one_line_invoice(ssin: str, gp: RizivNumber, agreement_number: str | None) -> InvoiceSubmitted:
    return example_invoice_submitted(
        ssin=ssin,
        provider=gp,
        agreement_number=agreement_number,
        issued_on=ISSUED_ON,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "40.00"}],
    )


async def test_c02_an_invoice_ahead_of_its_consultation_waits_and_is_priced_as_guaranteed(
    client: httpx.AsyncClient, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    consultation = example_consultation_recorded(
        ssin=decision.ssin,
        provider=gp,
        decision_number=decision.decision_number,
        version=decision.version,
    )
    assert consultation.agreement_number is not None
    certificate = example_certificate_registered(ssin=decision.ssin, provider=gp)
    await deliver(tmp_path, decision, certificate)
    ahead = one_line_invoice(decision.ssin, gp, consultation.agreement_number)
    behind = one_line_invoice(decision.ssin, gp, None)

    # One key: `behind` is priced after `ahead` was handled; `ahead` waits, unpriced.
    await deliver(tmp_path, ahead, behind, key=decision.ssin)
    before = await priced_invoices(published, expected=1)
    await deliver(tmp_path, consultation)
    after = await eventually(
        lambda: priced_invoices(published, expected=1),
        lambda found: ahead.invoice_id in {invoice.invoice_id for invoice in found},
    )

    # The relay may publish a verdict twice (at least once); each verdict is about one invoice.
    assert {invoice.invoice_id for invoice in before} == {behind.invoice_id}
    verdicts = {
        invoice.model_dump_json() for invoice in after if invoice.invoice_id == ahead.invoice_id
    }
    [verdict] = verdicts
    priced = InvoicePriced.model_validate_json(verdict)
    [line] = priced.lines
    assert line.verdict.value == "accepted"
    assert [(reason.rule, reason.code) for reason in line.reasons] == []


async def test_c02_an_agreement_number_never_recorded_is_refused_once_the_patience_runs_out(
    tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    settings = embedded_settings(service, tmp_path, tokens).model_copy(
        update={"agreement_patience_seconds": 0.0, "agreement_sweep_seconds": 0.1}
    )
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    invoice = one_line_invoice(decision.ssin, gp, "NEVER-RECORDED")

    async with running_service(service, settings):
        await deliver(
            tmp_path, decision, example_certificate_registered(ssin=decision.ssin, provider=gp)
        )
        await deliver(tmp_path, invoice)
        [priced] = await priced_invoices(published, expected=1)

    [line] = priced.lines
    assert priced.invoice_id == invoice.invoice_id
    assert line.verdict.value == "rejected"
    assert [(reason.rule, reason.code) for reason in line.reasons] == [
        ("C-02", "agreement.unknown")
    ]
