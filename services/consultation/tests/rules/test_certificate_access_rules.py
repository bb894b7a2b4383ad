"""C-04 as pure functions: which certificates the OCMW covering a person reads (D-14), and what
a certificate that paid lines rely on still allows."""

from __future__ import annotations

from datetime import date

import pytest

from consultation.certificates.access import (
    check_ocmw_client_c04,
    competence_periods_c04,
    visible_to_ocmw_c04,
)
from consultation.certificates.rules import (
    check_correctable_c04,
    check_keeps_paid_care_c04,
    check_withdrawable_c04,
)
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import random_enterprise_number
from mediprima_contracts.values import Period
from mediprima_domain.coverage import DecisionHistory
from servicekit.errors import Conflict, Forbidden
from servicekit.testing import revised


def period(start: str, end: str) -> Period:
    return Period(start=date.fromisoformat(start), end=date.fromisoformat(end))


def test_c04_the_owner_of_a_decision_reads_for_the_decisions_period() -> None:
    decision = example_decision_version_published()  # 2025-01-01 to 2025-03-31
    history = DecisionHistory([decision])

    assert competence_periods_c04(history, decision.ocmw.enterprise_number) == [
        period("2025-01-01", "2025-03-31")
    ]
    assert competence_periods_c04(history, random_enterprise_number()) == []


def test_c04_d14_a_hand_over_splits_the_days_between_the_two_ocmws() -> None:
    first = example_decision_version_published()
    receiver = random_enterprise_number()
    handed_over = revised(
        first,
        version=2,
        change_kind="handed_over",
        ocmw={**first.ocmw.model_dump(), "enterprise_number": receiver},
        effective_from="2025-02-15",
    )
    longer = {"start": "2025-01-01", "end": "2025-04-30"}
    extended = revised(handed_over, version=3, change_kind="extended", period=longer)
    history = DecisionHistory([extended, first, handed_over])

    assert competence_periods_c04(history, first.ocmw.enterprise_number) == [
        period("2025-01-01", "2025-02-14")
    ]
    assert competence_periods_c04(history, receiver) == [period("2025-02-15", "2025-04-30")]


def test_c04_an_ocmw_with_no_decision_of_the_person_reads_none_of_its_certificates() -> None:
    check_ocmw_client_c04([period("2025-01-01", "2025-03-31")])
    with pytest.raises(Forbidden) as refused:
        check_ocmw_client_c04([])

    assert (refused.value.errors[0].rule, refused.value.errors[0].code) == (
        "C-04",
        "certificate.not_ocmw_client",
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "visible"),
    [
        ("2025-02-14", "2025-02-20", True),  # ends on the first day
        ("2025-03-01", None, True),  # open-ended, filed before validity was bounded
        ("2025-01-01", "2025-02-13", False),  # ends the day before
        ("2025-03-01", "2025-03-31", True),
        ("2025-04-01", "2025-04-30", False),
    ],
)
def test_c04_an_ocmw_reads_a_certificate_meeting_a_day_it_was_competent(
    valid_from: str, valid_until: str | None, visible: bool
) -> None:
    periods = [period("2025-02-14", "2025-03-31")]

    assert (
        visible_to_ocmw_c04(
            valid_from=date.fromisoformat(valid_from),
            valid_until=date.fromisoformat(valid_until) if valid_until else None,
            periods=periods,
        )
        is visible
    )


def test_c04_a_certificate_a_paid_line_relies_on_is_not_withdrawn() -> None:
    check_withdrawable_c04(relied_on=False)
    with pytest.raises(Conflict) as refused:
        check_withdrawable_c04(relied_on=True)

    assert refused.value.errors[0].code == "certificate.relied_on"


def test_c04_a_withdrawn_certificate_is_not_corrected() -> None:
    check_correctable_c04(withdrawn=False)
    with pytest.raises(Conflict) as refused:
        check_correctable_c04(withdrawn=True)

    assert refused.value.errors[0].code == "certificate.withdrawn"


PAID_DAYS = [date(2025, 2, 10), date(2025, 2, 20)]


def test_c04_a_correction_keeping_the_paid_care_is_allowed() -> None:
    check_keeps_paid_care_c04(
        same_person=True,
        same_care_type=True,
        validity=period("2025-02-10", "2025-02-20"),
        paid_days=PAID_DAYS,
    )


@pytest.mark.parametrize(
    ("same_person", "same_care_type", "validity"),
    [
        (True, True, period("2025-02-11", "2025-02-20")),  # drops the first paid day
        (True, True, period("2025-02-10", "2025-02-19")),  # drops the last paid day
        (False, True, period("2025-02-10", "2025-02-20")),
        (True, False, period("2025-02-10", "2025-02-20")),
    ],
)
def test_c04_a_correction_dropping_paid_care_is_refused(
    same_person: bool, same_care_type: bool, validity: Period
) -> None:
    with pytest.raises(Conflict) as refused:
        check_keeps_paid_care_c04(
            same_person=same_person,
            same_care_type=same_care_type,
            validity=validity,
            paid_days=PAID_DAYS,
        )

    assert refused.value.errors[0].code == "certificate.paid_care_uncovered"
