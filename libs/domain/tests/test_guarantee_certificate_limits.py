"""C-02 agreements, C-04 certificates, D-05 and I-04 limits: one function each."""

from __future__ import annotations

from datetime import date

import pytest

from mediprima_domain.billing import (
    LateBillingApproval,
    billing_deadline_i04,
    billing_limit_i04,
    check_billing_limit_i04,
    late_funder_notice_d05,
    state_pays_d05,
)
from mediprima_domain.certificates import Certificate, certificate_for_c04
from mediprima_domain.coverage import CareQuestion, DecisionHistory, resolve_coverage
from mediprima_domain.guarantee import (
    Agreement,
    agreement_valid_until_c02,
    guarantee_on_invoice_c02,
    is_guaranteed_c02,
)
from mediprima_domain.identity import person_key, person_keys

from .builders import NEW_NUMBER, PERSON, PERSON_ID, version

GP_RIZIV = "12345625004"


def _agreement(**changes: object) -> Agreement:
    fields: dict[str, object] = {
        "agreement_number": "123456789012",
        "provider": GP_RIZIV,
        "ssin": PERSON,
        "decision_number": "100000000001",
        "version": 1,
        "valid_until": date(2026, 7, 1),
        "person_id": PERSON_ID,
    }
    return Agreement(**(fields | changes))  # type: ignore[arg-type]


def test_c02_the_guarantee_lasts_thirty_days_from_the_consultation() -> None:
    until = agreement_valid_until_c02(date(2026, 6, 1))
    assert until == date(2026, 7, 1)
    assert is_guaranteed_c02(covered=True, valid_until=until, today=until)
    assert not is_guaranteed_c02(covered=True, valid_until=until, today=date(2026, 7, 2))
    assert not is_guaranteed_c02(covered=False, valid_until=None, today=date(2026, 6, 2))


def test_c02_an_invoice_issued_within_the_thirty_days_is_paid_on_the_consulted_version() -> None:
    def check(agreement: Agreement | None, **asked: object) -> tuple[object, ...]:
        fields: dict[str, object] = {
            "ssin": PERSON,
            "person_id": PERSON_ID,
            "provider": GP_RIZIV,
            "issued_on": date(2026, 6, 10),
        }
        found = guarantee_on_invoice_c02("123456789012", agreement, **(fields | asked))  # type: ignore[arg-type]
        return (
            found.refusal.code if found.refusal else None,
            found.consulted.version if found.consulted else None,
            found.remark.code if found.remark else None,
        )

    assert check(_agreement()) == (None, 1, None)
    assert check(_agreement(), issued_on=date(2026, 7, 1)) == (None, 1, None)  # the 30th day
    assert check(None) == ("agreement.unknown", None, None)
    # Another provider's or person's agreement, or an invoice issued too late: no guarantee,
    # the line is priced on the decision in force on the date of care.
    assert check(_agreement(provider="10000000097")) == (None, None, "agreement.mismatch")
    assert check(_agreement(), ssin=NEW_NUMBER) == (None, 1, None)  # the same person, renumbered
    assert check(_agreement(), ssin=NEW_NUMBER, person_id="P" + "b" * 32) == (
        None,
        None,
        "agreement.mismatch",
    )
    assert check(_agreement(), issued_on=date(2026, 7, 2)) == (None, None, "agreement.expired")


def test_c04_urgent_aid_care_needs_a_certificate_for_that_care_and_day() -> None:
    urgent = version(urgent_medical_aid=True)
    answer = resolve_coverage(
        DecisionHistory([urgent]),
        CareQuestion(ssin=PERSON, on=date(2026, 6, 1), care_type="general_medicine"),
    )
    certificate = Certificate("C1", "general_medicine", date(2026, 5, 1), date(2026, 6, 30))
    relied_on, _ = certificate_for_c04(answer, [certificate], "general_medicine", date(2026, 6, 1))
    assert relied_on == certificate
    _, missing = certificate_for_c04(answer, [certificate], "general_medicine", date(2026, 7, 1))
    assert missing is not None
    assert (missing.rule, missing.code) == ("C-04", "certificate.missing")


def test_d05_the_state_pays_care_from_sixty_days_before_the_decision_date() -> None:
    decided = date(2026, 6, 30)
    assert state_pays_d05(care_start=date(2026, 5, 1), decision_date=decided)
    assert not state_pays_d05(care_start=date(2026, 4, 30), decision_date=decided)


def test_d05_a_court_decision_lifts_the_sixty_days() -> None:
    old_care = date(2025, 1, 10)
    assert state_pays_d05(care_start=old_care, decision_date=date(2026, 6, 30), court_decision=True)


def test_d05_care_outside_hospitals_decided_after_45_days_is_listed_for_the_funder() -> None:
    care = date(2026, 5, 1)
    assert not late_funder_notice_d05(
        care_start=care, decision_date=date(2026, 6, 15), in_hospital=False
    )
    assert late_funder_notice_d05(
        care_start=care, decision_date=date(2026, 6, 16), in_hospital=False
    )
    assert not late_funder_notice_d05(
        care_start=care, decision_date=date(2026, 6, 16), in_hospital=True
    )


def test_i04_care_is_billed_within_two_years() -> None:
    assert billing_deadline_i04(date(2024, 2, 29)) == date(2026, 2, 28)
    assert check_billing_limit_i04(date(2024, 6, 1), date(2026, 6, 1)) is None
    late = check_billing_limit_i04(date(2024, 6, 1), date(2026, 6, 2))
    assert late is not None
    assert (late.rule, late.code) == ("I-04", "care.billing_limit_exceeded")


@pytest.mark.parametrize(
    ("consulted_on", "last_day"),
    [
        (date(2026, 1, 10), date(2026, 2, 9)),
        (date(2028, 2, 15), date(2028, 3, 16)),
        (date(2026, 12, 15), date(2027, 1, 14)),
    ],
)
def test_c02_the_agreement_runs_thirty_days_from_any_consultation_day(
    consulted_on: date, last_day: date
) -> None:
    assert agreement_valid_until_c02(consulted_on) == last_day


def test_d08_money_follows_the_person_under_every_number() -> None:
    assert person_key(person_id=PERSON_ID, ssin=PERSON) == person_key(
        person_id=PERSON_ID, ssin=NEW_NUMBER
    )
    assert person_key(person_id=None, ssin=PERSON) == f"ssin:{PERSON}"
    assert person_keys(person_id=PERSON_ID, numbers=[PERSON, NEW_NUMBER]) == {
        PERSON_ID,
        f"ssin:{PERSON}",
        f"ssin:{NEW_NUMBER}",
    }


def test_i04_a_written_approval_lets_late_care_through_and_is_cited() -> None:
    approval = LateBillingApproval(
        reference="POD-MI/2026/17",
        provider=GP_RIZIV,
        ssin=PERSON,
        care_from=date(2024, 1, 1),
        care_until=date(2024, 3, 31),
        approved_on=date(2026, 5, 1),
        person_id=PERSON_ID,
    )

    def verdict(**changes: object) -> object:
        fields: dict[str, object] = {
            "date_of_care": date(2024, 2, 1),
            "billed_on": date(2026, 6, 1),
            "provider": GP_RIZIV,
            "ssin": PERSON,
            "person_id": PERSON_ID,
            "approvals": [approval],
        }
        return billing_limit_i04(**(fields | changes))  # type: ignore[arg-type]

    approved = verdict()
    assert approved.refusal is None  # type: ignore[attr-defined]
    assert approved.remark.code == "care.late_billing_approved"  # type: ignore[attr-defined]
    assert "POD-MI/2026/17" in approved.remark.message  # type: ignore[attr-defined]
    assert verdict(ssin=NEW_NUMBER).refusal is None  # type: ignore[attr-defined]  # same person
    for other in (
        {"provider": "10000000097"},
        {"ssin": NEW_NUMBER, "person_id": None},
        {"date_of_care": date(2024, 4, 1)},
        {"billed_on": date(2026, 4, 30)},  # approved after the invoice
        {"approvals": []},
    ):
        refused = verdict(**other)
        assert refused.refusal.code == "care.billing_limit_exceeded", other  # type: ignore[attr-defined]
