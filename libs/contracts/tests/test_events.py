from __future__ import annotations

from mediprima_contracts.components import AdjudicationStatus, Verdict
from mediprima_contracts.testing import (
    error_code,
    example_certificate_registered,
    example_consultation_recorded,
    example_decision_version_published,
    example_invoice_adjudicated,
    example_invoice_paid,
    example_invoice_submitted,
    example_priced_lines,
    example_register_mutation_reported,
)


def test_a_principle_decision_has_no_coverage() -> None:
    assert example_decision_version_published(coverages=[]).coverages == []


def test_a_decision_comment_is_limited() -> None:
    assert error_code(lambda: example_decision_version_published(comment="x" * 2001)) == (
        "string_too_long"
    )


def test_a_covered_consultation_names_decision_and_agreement() -> None:
    assert error_code(lambda: example_consultation_recorded(agreement_number=None)) == (
        "consultation.covered_without_reference"
    )
    uncovered = example_consultation_recorded(
        covered=False,
        decision_number=None,
        version=None,
        agreement_number=None,
        agreement_valid_until=None,
        coverages=[],
    )
    assert not uncovered.covered


def test_a_certificate_cannot_end_before_it_starts() -> None:
    assert error_code(lambda: example_certificate_registered(valid_until="2025-01-01")) == (
        "certificate.period_order"
    )


def test_a_mutation_carries_its_new_value() -> None:
    assert error_code(lambda: example_register_mutation_reported(new_ssin=None)) == (
        "mutation.new_ssin_missing"
    )
    assert error_code(lambda: example_register_mutation_reported(kind="name_change")) == (
        "mutation.new_name_missing"
    )


def test_line_numbers_are_unique_within_an_invoice() -> None:
    line = {"line_number": 1, "date_of_care": "2025-03-10", "code": "101076", "amount": "30.00"}
    assert error_code(lambda: example_invoice_submitted(lines=[line, line])) == (
        "invoice.duplicate_line_number"
    )


def test_an_invoice_has_at_least_one_line() -> None:
    assert error_code(lambda: example_invoice_submitted(lines=[])) == "too_short"


def test_a_rejected_line_carries_a_reason() -> None:
    accepted, rejected = example_priced_lines()
    rejected["reasons"] = []
    assert error_code(lambda: example_invoice_adjudicated(lines=[accepted, rejected])) == (
        "line.rejected_without_reason"
    )


def test_the_adjudication_status_follows_the_verdicts() -> None:
    assert error_code(lambda: example_invoice_adjudicated(status="accepted")) == (
        "invoice.status_mismatch"
    )
    accepted, rejected = example_priced_lines()
    assert example_invoice_adjudicated(status="accepted", lines=[accepted]).status == "accepted"
    assert example_invoice_adjudicated(status="rejected", lines=[rejected]).status == "rejected"


def test_adjudication_status_from_verdicts() -> None:
    accepted, rejected = Verdict.ACCEPTED, Verdict.REJECTED
    assert AdjudicationStatus.from_verdicts([accepted, accepted]) is AdjudicationStatus.ACCEPTED
    assert AdjudicationStatus.from_verdicts([accepted, rejected]) is (
        AdjudicationStatus.PARTIALLY_ACCEPTED
    )
    assert AdjudicationStatus.from_verdicts([rejected]) is AdjudicationStatus.REJECTED


def test_the_amount_paid_is_the_state_and_ocmw_shares() -> None:
    assert str(example_invoice_paid().amount) == "30.00"
    assert error_code(lambda: example_invoice_paid(amount="30.01")) == (
        "invoice.paid_amount_mismatch"
    )
