"""The checks report what an operator must not see: a line paid twice, an invoice lost, a
settlement a cent off. Fed the platform's answers as they look, made up here."""

from decimal import Decimal
from typing import Any

from chaos.generator import Sent, SentInvoice
from chaos.invariants import check_invoices, check_payments, check_settlement
from chaos.plan import load_plan


def _sent() -> tuple[Sent, SentInvoice]:
    person = load_plan(1, 1).people[0]
    invoice = SentInvoice(
        "inv-1",
        person=person,
        plan=person.invoices[0],
        amounts={line.line_number: Decimal("30.00") for line in person.invoices[0].lines},
    )
    sent = Sent()
    sent.invoice_sent(invoice)
    return sent, invoice


def _as_platform_shows(item: SentInvoice, *, paid_times: int = 1) -> dict[str, Any]:
    lines = [
        {
            "line_number": line.line_number,
            "date_of_care": f"2026-11-{30 - line.days_ago:02d}",
            "code": line.code,
            "amount": str(item.amounts[line.line_number]),
            "status": "accepted",
            "state_share": str(item.amounts[line.line_number]),
            "ocmw_share": "0.00",
            "patient_share": "0.00",
            "health_fund_share": None,
            "payment_reference": "PAY-1",
        }
        for line in item.plan.lines
    ]
    history = ["received", "accepted"] + ["paid"] * paid_times
    return {
        "invoice_id": item.invoice_id,
        "status": "paid",
        "lines": lines,
        "history": [{"status": status} for status in history],
        "payment": {"payment_reference": "PAY-1", "paid_at": "2026-12-02T06:00:00Z"},
    }


def test_an_invoice_as_sent_accepted_and_paid_once_passes() -> None:
    sent, item = _sent()
    differences, expected = check_invoices(sent, [_as_platform_shows(item)])
    assert differences == []
    total = sum(item.amounts.values())
    assert expected.months["2026-12"].state_share == total
    assert expected.paid_amount == total


def test_a_lost_invoice_and_a_second_payment_are_reported() -> None:
    sent, item = _sent()
    assert check_invoices(sent, [])[0] == ["1 invoices answered 202 but not found: ['inv-1']"]
    differences, _ = check_invoices(sent, [_as_platform_shows(item, paid_times=2)])
    assert differences == [
        "invoice inv-1: paid 2 times in its history ['received', 'accepted', 'paid', 'paid']"
    ]


def test_an_invoice_in_two_provider_payments_is_reported() -> None:
    sent, item = _sent()
    invoice = _as_platform_shows(item)
    owed = str(sum(item.amounts.values()))
    payment = {
        "payment_reference": "PAY-1",
        "lines_amount": owed,
        "invoices": [{"invoice_id": "inv-1", "amount": owed}],
    }
    assert check_payments(sent, [invoice], [payment]) == []
    twice = check_payments(sent, [invoice], [payment, payment | {"payment_reference": "PAY-2"}])
    assert twice == [f"invoice inv-1 (owed {owed}) in 2 payments"]


def test_a_settlement_a_cent_off_is_reported() -> None:
    sent, item = _sent()
    _, expected = check_invoices(sent, [_as_platform_shows(item)])
    totals = expected.months["2026-12"].as_settlement()
    ocmw = item.person.ocmw
    exact = {"totals": totals, "per_ocmw": [{"enterprise_number": ocmw, **totals}]}
    assert check_settlement(expected, {"2026-12": exact}) == []
    off = totals | {"state_share": totals["state_share"] - Decimal("0.01")}
    found = check_settlement(
        expected, {"2026-12": {"totals": off, "per_ocmw": [{"enterprise_number": ocmw, **totals}]}}
    )
    assert len(found) == 1
    assert found[0].startswith("settlement 2026-12: totals")
