"""The pure invoice rules, one test family per rule id."""

from datetime import date
from decimal import Decimal

from invoicing.invoices import rules
from invoicing.invoices.rules import CareKey
from mediprima_contracts.components import AdjudicationStatus, PricedLine
from mediprima_domain.billing import LateBillingApproval
from mediprima_domain.identity import person_key

DAY = date(2026, 3, 2)


def line(
    number: int, verdict: str = "accepted", code: str = "101032", day: date = DAY
) -> PricedLine:
    return PricedLine.model_validate(
        {
            "line_number": number,
            "date_of_care": day,
            "code": code,
            "verdict": verdict,
            "fee": "33.51",
            "state_share": "29.51" if verdict == "accepted" else "0.00",
            "ocmw_share": "4.00" if verdict == "accepted" else "0.00",
            "patient_share": "0.00" if verdict == "accepted" else "33.51",
            "reasons": []
            if verdict == "accepted"
            else [{"rule": "T-06", "code": "no_decision", "message": "no decision"}],
            "urgent_medical_aid": False,
        }
    )


def test_i01_line_numbers_run_from_one_to_n_each_once() -> None:
    assert rules.check_line_numbers_i01([2, 1, 3]) == []
    problems = rules.check_line_numbers_i01([1, 1, 5, None])
    assert [(p.field, p.code) for p in problems] == [
        ("lines.1.line_number", "line.number_duplicate"),
        ("lines.2.line_number", "line.number_out_of_range"),
    ]


def test_i01_a_date_of_care_in_the_future_is_refused() -> None:
    problems = rules.check_dates_of_care_i01([DAY, date(2026, 3, 3), None], today=DAY)
    assert [(p.field, p.code) for p in problems] == [
        ("lines.1.date_of_care", "line.date_in_future")
    ]


def test_i02_the_second_accepted_line_for_the_same_care_is_rejected() -> None:
    earlier = CareKey("10000000001", "ssin:85073003328", DAY, "101032")
    final = rules.adjudicate_lines_i02(
        provider="10000000001",
        person="ssin:85073003328",
        ssin="85073003328",
        priced=[line(2, code="102771"), line(1), line(3, code="102771")],
        accepted_elsewhere={earlier},
        submitted_on=DAY,
    )
    assert [(item.line_number, item.verdict.value) for item in final] == [
        (1, "rejected"),
        (2, "accepted"),
        (3, "rejected"),
    ]
    assert final[0].reasons[-1].code == "line.duplicate"
    assert (final[0].state_share, final[0].ocmw_share, final[0].patient_share) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("33.51"),
    )


def test_i02_the_person_key_is_the_registry_person_or_else_the_number() -> None:
    person = "P" + "0" * 31 + "1"

    assert person_key(person_id=person, ssin="85073003328") == person
    assert person_key(person_id=person, ssin="85473003351") == person
    assert person_key(person_id=None, ssin="85073003328") == "ssin:85073003328"


def test_i02_the_same_care_of_one_person_under_another_number_is_a_duplicate() -> None:
    person = "P" + "0" * 31 + "1"
    accepted_under_the_bis_number = CareKey("10000000001", person, DAY, "101032")

    [final] = rules.adjudicate_lines_i02(
        provider="10000000001",
        person=person_key(person_id=person, ssin="85073003328"),
        ssin="85073003328",
        priced=[line(1)],
        accepted_elsewhere={accepted_under_the_bis_number},
        submitted_on=DAY,
    )

    assert final.verdict.value == "rejected"
    assert [(reason.rule, reason.code) for reason in final.reasons] == [("I-02", "line.duplicate")]


def test_i02_a_line_the_payer_rejected_keeps_its_reasons_and_blocks_nothing() -> None:
    final = rules.adjudicate_lines_i02(
        provider="10000000001",
        person="ssin:85073003328",
        ssin="85073003328",
        priced=[line(1, "rejected"), line(2)],
        accepted_elsewhere=set(),
        submitted_on=DAY,
    )
    assert [item.verdict.value for item in final] == ["rejected", "accepted"]
    assert [reason.code for reason in final[0].reasons] == ["no_decision"]


def test_i03_the_status_follows_the_verdicts() -> None:
    assert rules.invoice_status_i03(["accepted", "accepted"]) is AdjudicationStatus.ACCEPTED
    assert rules.invoice_status_i03(["accepted", "rejected"]) is (
        AdjudicationStatus.PARTIALLY_ACCEPTED
    )
    assert rules.invoice_status_i03(["rejected"]) is AdjudicationStatus.REJECTED


def _billed_on(day: date, care: date) -> list[tuple[str, str]]:
    [final] = rules.adjudicate_lines_i02(
        provider="10000000001",
        person="ssin:85073003328",
        ssin="85073003328",
        priced=[line(1, day=care)],
        accepted_elsewhere=set(),
        submitted_on=day,
    )
    return [(reason.rule, reason.code) for reason in final.reasons]


def test_i04_adjudication_applies_the_shared_two_year_limit() -> None:
    assert _billed_on(DAY, care=date(2024, 3, 2)) == []
    assert _billed_on(DAY, care=date(2024, 3, 1)) == [("I-04", "care.billing_limit_exceeded")]
    leap_day = date(2024, 2, 29)  # its deadline is 28 February two years later
    assert _billed_on(date(2026, 2, 28), care=leap_day) == []
    assert _billed_on(date(2026, 3, 1), care=leap_day) == [("I-04", "care.billing_limit_exceeded")]


def test_i04_an_accepted_line_billed_too_late_is_rejected() -> None:
    [final] = rules.adjudicate_lines_i02(
        provider="10000000001",
        person="ssin:85073003328",
        ssin="85073003328",
        priced=[line(1, day=date(2024, 3, 1))],
        accepted_elsewhere=set(),
        submitted_on=DAY,
    )
    assert final.verdict.value == "rejected"
    assert [reason.rule for reason in final.reasons] == ["I-04"]


def test_i05_the_provider_is_paid_the_state_and_ocmw_shares() -> None:
    owed = rules.amount_owed_i05(
        [(Decimal("29.51"), Decimal("4.00")), (Decimal("1.00"), Decimal("0"))]
    )
    assert owed == Decimal("34.51")


def test_i03_only_accepted_lines_each_once_are_credited() -> None:
    statuses = {1: "accepted", 2: "rejected", 3: "credited", 4: "accepted"}

    assert rules.check_creditable_lines_i03([1, 4], statuses) == []
    problems = rules.check_creditable_lines_i03([1, 1, 2, 3, 9], statuses)
    assert [(p.rule, p.field, p.code) for p in problems] == [
        ("I-03", "line_numbers", "credit.line_repeated"),
        ("I-03", "line_numbers.2", "credit.line_not_accepted"),
        ("I-03", "line_numbers.3", "credit.line_already_credited"),
        ("I-03", "line_numbers.4", "credit.line_unknown"),
    ]


def test_i01_an_admission_after_the_date_of_care_is_refused() -> None:
    problems = rules.check_admission_dates_i01(
        [(date(2026, 3, 1), DAY), (DAY, DAY), (None, DAY), (date(2026, 3, 3), DAY), (DAY, None)]
    )

    assert [(p.rule, p.field, p.code) for p in problems] == [
        ("I-01", "lines.3.admission_date", "line.admission_after_care")
    ]


def test_c02_an_invoice_is_issued_not_after_submission_nor_before_its_care() -> None:
    assert rules.check_issue_date_i01(None, [DAY], today=DAY) == []
    assert rules.check_issue_date_i01(DAY, [DAY, None], today=DAY) == []
    late = rules.check_issue_date_i01(date(2026, 3, 3), [DAY], today=DAY)
    early = rules.check_issue_date_i01(date(2026, 3, 1), [DAY, date(2026, 2, 1)], today=DAY)
    assert [(p.rule, p.field, p.code) for p in late] == [
        ("I-01", "issued_on", "invoice.issued_after_submission")
    ]
    assert [(p.field, p.code) for p in early] == [("lines.0.date_of_care", "line.care_after_issue")]


def test_i04_a_late_line_with_the_funders_approval_is_accepted_and_cites_it() -> None:
    old_care = date(2023, 6, 15)
    approval = LateBillingApproval(
        reference="PODMI-42",
        provider="10000000001",
        ssin="85073003328",
        care_from=date(2023, 6, 1),
        care_until=date(2023, 6, 30),
        approved_on=date(2026, 2, 1),
    )

    def judged(approvals: list[LateBillingApproval], submitted_on: date = DAY) -> PricedLine:
        [final] = rules.adjudicate_lines_i02(
            provider="10000000001",
            person="ssin:85073003328",
            ssin="85073003328",
            priced=[line(1, day=old_care)],
            accepted_elsewhere=set(),
            submitted_on=submitted_on,
            approvals=approvals,
        )
        return final

    approved = judged([approval])
    assert approved.verdict.value == "accepted"
    assert [(r.rule, r.code) for r in approved.reasons] == [("I-04", "care.late_billing_approved")]
    assert "PODMI-42" in approved.reasons[0].message
    assert rules.late_lines_i04([line(1, day=old_care)], DAY) is True
    # An approval dated after the submission does not reach back (a resubmission is judged anew).
    assert judged([approval], submitted_on=date(2026, 1, 31)).verdict.value == "rejected"
    assert judged([]).reasons[0].code == "care.billing_limit_exceeded"
