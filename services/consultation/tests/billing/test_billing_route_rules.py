"""I-06 as a pure function: each date of the 2025 circular, each exemption, each provider kind."""

from datetime import date

import pytest

from consultation.billing.rules import (
    BillingRoute,
    BillingRouteCode,
    Exemption,
    ExemptionReason,
    ProviderKind,
    billing_route_i06,
    check_declared_on_i06,
    check_exempt_provider_i06,
    check_paper_invoice_dates_i06,
)
from servicekit.errors import Unprocessable

AFTER_TRANSITION = date(2025, 11, 1)
REGISTERED = date(2025, 9, 1)  # the first decision date that had to be registered


def route(
    *,
    billing_day: date = AFTER_TRANSITION,
    decision_date: date | None = REGISTERED,
    provider_kind: ProviderKind = ProviderKind.PRACTICE,
    exemptions: tuple[Exemption, ...] | list[Exemption] = (),
    is_hospital: bool = False,
) -> tuple[BillingRoute, BillingRouteCode]:
    verdict = billing_route_i06(
        billing_day=billing_day,
        decision_date=decision_date,
        provider_kind=provider_kind,
        exemptions=exemptions,
        is_hospital=is_hospital,
    )
    return verdict.route, verdict.code


def test_i06_no_registered_decision_keeps_the_classic_paper_route() -> None:
    assert route(decision_date=None) == (
        BillingRoute.PAPER_TO_OCMW,
        BillingRouteCode.NO_REGISTERED_DECISION,
    )


@pytest.mark.parametrize(
    ("decision_date", "expected"),
    [
        (
            date(2025, 8, 31),
            (BillingRoute.PAPER_TO_OCMW, BillingRouteCode.DECISION_BEFORE_2025_09_01),
        ),
        (date(2025, 9, 1), (BillingRoute.PLATFORM, BillingRouteCode.PLATFORM_REQUIRED)),
    ],
)
def test_i06_a_decision_taken_before_1_september_2025_keeps_the_paper_route(
    decision_date: date, expected: tuple[BillingRoute, BillingRouteCode]
) -> None:
    assert route(decision_date=decision_date) == expected
    # whatever the billing day: "verandert er niets voor de huisarts"
    assert route(decision_date=date(2025, 8, 31), billing_day=date(2027, 1, 1))[1] == (
        BillingRouteCode.DECISION_BEFORE_2025_09_01
    )


@pytest.mark.parametrize(
    ("billing_day", "expected"),
    [
        (
            date(2025, 10, 31),
            (BillingRoute.PAPER_TO_OCMW, BillingRouteCode.TRANSITION_UNTIL_2025_10_31),
        ),
        (date(2025, 11, 1), (BillingRoute.PLATFORM, BillingRouteCode.PLATFORM_REQUIRED)),
    ],
)
def test_i06_paper_stays_allowed_until_31_october_2025_for_registered_decisions(
    billing_day: date, expected: tuple[BillingRoute, BillingRouteCode]
) -> None:
    assert route(billing_day=billing_day) == expected


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        (ExemptionReason.TECHNICALLY_IMPOSSIBLE, BillingRouteCode.EXEMPT_TECHNICALLY_IMPOSSIBLE),
        (ExemptionReason.FORCE_MAJEURE, BillingRouteCode.EXEMPT_FORCE_MAJEURE),
        (ExemptionReason.AGED_67_ON_2023_01_01, BillingRouteCode.EXEMPT_AGED_67_ON_2023_01_01),
    ],
)
def test_i06_each_exemption_declared_by_the_billing_day_allows_paper(
    reason: ExemptionReason, code: BillingRouteCode
) -> None:
    on_the_day = Exemption(reason=reason, declared_on=AFTER_TRANSITION)
    the_day_after = Exemption(reason=reason, declared_on=date(2025, 11, 2))

    assert route(exemptions=[on_the_day]) == (BillingRoute.PAPER_TO_OCMW, code)
    assert route(exemptions=[the_day_after]) == (
        BillingRoute.PLATFORM,
        BillingRouteCode.PLATFORM_REQUIRED,
    )


def test_i06_the_earliest_declaration_names_the_reason() -> None:
    exemptions = [
        Exemption(reason=ExemptionReason.FORCE_MAJEURE, declared_on=date(2025, 11, 1)),
        Exemption(reason=ExemptionReason.AGED_67_ON_2023_01_01, declared_on=date(2025, 10, 1)),
    ]

    assert route(exemptions=exemptions)[1] == BillingRouteCode.EXEMPT_AGED_67_ON_2023_01_01


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            ProviderKind.OUT_OF_HOURS_POST,
            (BillingRoute.PAPER_TO_OCMW, BillingRouteCode.OUT_OF_HOURS_POST),
        ),
        (ProviderKind.MEDICAL_HOUSE, (BillingRoute.PAPER_TO_OCMW, BillingRouteCode.MEDICAL_HOUSE)),
        (ProviderKind.PRACTICE, (BillingRoute.PLATFORM, BillingRouteCode.PLATFORM_REQUIRED)),
    ],
)
def test_i06_each_provider_kind(
    kind: ProviderKind, expected: tuple[BillingRoute, BillingRouteCode]
) -> None:
    assert route(provider_kind=kind) == expected


def test_i06_hospitals_bill_through_the_platform_whenever_a_decision_covers() -> None:
    assert route(
        is_hospital=True, decision_date=date(2025, 1, 7), billing_day=date(2025, 2, 1)
    ) == (
        BillingRoute.PLATFORM,
        BillingRouteCode.HOSPITAL,
    )
    assert route(is_hospital=True, decision_date=None)[1] == BillingRouteCode.NO_REGISTERED_DECISION


def test_i06_every_reason_has_its_own_code_message_and_rule() -> None:
    verdicts = [
        billing_route_i06(billing_day=AFTER_TRANSITION, decision_date=None),
        billing_route_i06(billing_day=AFTER_TRANSITION, decision_date=date(2025, 1, 1)),
    ]

    assert len({verdict.code for verdict in verdicts}) == 2
    assert all(verdict.message for verdict in verdicts)
    assert len({code.value for code in BillingRouteCode}) == len(BillingRouteCode)


def test_i06_a_declaration_is_not_dated_in_the_future() -> None:
    check_declared_on_i06(declared_on=date(2025, 11, 1), today=date(2025, 11, 1))
    with pytest.raises(Unprocessable) as refused:
        check_declared_on_i06(declared_on=date(2025, 11, 2), today=date(2025, 11, 1))

    assert (refused.value.errors[0].rule, refused.value.errors[0].code) == (
        "I-06",
        "exemption.declared_in_future",
    )


def test_i06_only_doctors_declare_an_exemption() -> None:
    check_exempt_provider_i06(is_doctor=True)
    with pytest.raises(Unprocessable) as refused:
        check_exempt_provider_i06(is_doctor=False)

    assert refused.value.errors[0].code == "exemption.not_a_doctor"


def test_i06_a_paper_invoice_is_not_dated_before_the_care() -> None:
    check_paper_invoice_dates_i06(date_of_care=date(2025, 11, 3), invoiced_on=date(2025, 11, 3))
    with pytest.raises(Unprocessable) as refused:
        check_paper_invoice_dates_i06(date_of_care=date(2025, 11, 3), invoiced_on=date(2025, 11, 2))

    assert refused.value.errors[0].field == "invoiced_on"
