"""Refusals of a line, each with its stable code and rule id (T-06 and the shared coverage answer
it prices on: C-01, D-02, D-07, D-08); the payers pay nothing."""

from datetime import date
from decimal import Decimal

import pytest

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.testing.factories import random_dentist_riziv, random_gp_riziv
from tariffing.pricing.service import with_billing_limit_i04

from .builders import CARE_DAY, TODAY, cover, decision, next_version, price, reason, shares, tariff

GP = random_gp_riziv()
OTHER_GP = random_gp_riziv()
SPECIALIST_CODE = [
    tariff("40.00", "28.00", code="102012", provider_types=frozenset({"specialist"}))
]


def deceased() -> DecisionVersionPublished:
    alive = decision()
    person = {**alive.person.model_dump(), "death_date": date(2025, 3, 1)}
    return next_version(alive, person=person)


def refused(code: str, rule: str = "T-06") -> tuple[str, str]:
    return (rule, code)


@pytest.mark.parametrize(
    ("decisions", "on", "expected"),
    [
        pytest.param([decision()], date(2025, 3, 15), refused("care.date_in_future"), id="future"),
        pytest.param([], CARE_DAY, refused("decision.none", "C-01"), id="no-decision"),
        pytest.param(
            [decision()], date(2024, 12, 31), refused("decision.not_in_force", "C-01"), id="outside"
        ),
        pytest.param(
            [decision(status="suspended")],
            CARE_DAY,
            refused("decision.suspended", "D-08"),
            id="suspended",
        ),
        pytest.param(
            [decision(status="stopped")],
            CARE_DAY,
            refused("decision.stopped", "D-08"),
            id="stopped",
        ),
        pytest.param(
            [decision(coverages=[cover(care_type="hospitalisation")])],
            CARE_DAY,
            refused("cover.absent", "C-01"),
            id="cover-absent",
        ),
        pytest.param(
            [decision(coverages=[])],
            CARE_DAY,
            refused("decision.principle", "D-02"),
            id="principle",
        ),
        pytest.param(
            [decision(coverages=[cover(period={"start": "2025-01-01", "end": "2025-01-31"})])],
            CARE_DAY,
            refused("cover.not_active", "C-01"),
            id="cover-not-active",
        ),
        pytest.param([deceased()], CARE_DAY, refused("person.deceased", "D-07"), id="deceased"),
    ],
)
def test_t06_refusals(
    decisions: list[DecisionVersionPublished], on: date, expected: tuple[str, str]
) -> None:
    line = price(decisions, amount="30.00", on=on)

    assert not line.accepted
    assert reason(line) == expected
    assert shares(line) == ("0.00", "0.00", "30.00")


def test_d07_care_up_to_five_days_after_the_death_is_still_paid() -> None:
    assert price([deceased()], on=date(2025, 3, 1)).accepted
    assert price([deceased()], on=date(2025, 3, 6)).accepted
    assert reason(price([deceased()], on=date(2025, 3, 7))) == ("D-07", "person.deceased")


def test_t06_a_provider_not_in_the_covers_list_is_refused() -> None:
    listed = decision(coverages=[cover(providers=[OTHER_GP])])

    refused_line = price([listed], provider=GP)
    listed_line = price([listed], provider=OTHER_GP)

    assert reason(refused_line) == ("T-06", "provider.not_in_list")
    assert listed_line.accepted


def test_t06_a_code_not_allowed_for_the_provider_type_is_refused() -> None:
    line = price([decision()], tariffs=SPECIALIST_CODE, provider=GP)

    assert reason(line) == ("T-06", "code.not_allowed_for_provider")
    assert line.fee == Decimal("40.00")


def test_t06_a_gp_code_by_a_dentist_is_refused() -> None:
    dentist = random_dentist_riziv()

    assert reason(price([decision()], provider=dentist)) == (
        "T-06",
        "code.not_allowed_for_provider",
    )


def test_i04_the_simulation_refuses_care_older_than_two_years_with_the_invoicing_code() -> None:
    long = {"start": "2023-01-01", "end": "2025-03-31"}
    old = decision(period=long, coverages=[cover(period=long)], decision_date=date(2023, 3, 1))
    two_years = date(TODAY.year - 2, TODAY.month, TODAY.day)
    tariffs = [tariff("30.00", "26.00", valid_from=date(2023, 1, 1))]

    priced_old = price([old], tariffs=tariffs, on=date(2023, 3, 13))
    too_old = with_billing_limit_i04(priced_old, date_of_care=date(2023, 3, 13), billed_on=TODAY)
    just_in_time = with_billing_limit_i04(
        price([old], tariffs=tariffs, on=two_years), date_of_care=two_years, billed_on=TODAY
    )

    assert priced_old.accepted  # pricing itself leaves I-04 to invoicing's adjudication
    assert reason(too_old) == ("I-04", "care.billing_limit_exceeded")
    assert shares(too_old) == ("0.00", "0.00", str(priced_old.fee))
    assert just_in_time.accepted


def test_d03_a_narrowing_version_applies_from_its_own_date_only() -> None:
    first = decision()
    narrowed = next_version(
        first,
        coverages=[cover(period={"start": "2025-01-01", "end": "2025-02-28"})],
        effective_from=date(2025, 3, 1),
    )

    before = price([first, narrowed], on=date(2025, 2, 20))
    after = price([first, narrowed], on=CARE_DAY)

    assert before.accepted
    assert before.decision == first
    assert reason(after) == ("C-01", "cover.not_active")
    assert after.decision == narrowed
