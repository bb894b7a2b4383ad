"""C-02 (the agreement's guaranteed version), C-04 (urgent-aid certificate), D-05 (60-day rule)."""

from datetime import date, timedelta
from decimal import Decimal

from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from tariffing.pricing.rules import Certificate

from .builders import (
    CARE_DAY,
    NOTHING,
    agreement_on,
    cover,
    decision,
    next_version,
    price,
    reason,
    shares,
)

GP = random_gp_riziv()
COPAYMENT_PAID = {**NOTHING, "patient_share": "FULL"}


def narrowed_pair() -> tuple:  # type: ignore[type-arg]
    """v1 as consulted (OCMW pays the patient share); v2, a day later, drops the GP cover."""
    consulted = decision(insurance_part_pct=100, patient_share_pct=0, ocmw_pays=COPAYMENT_PAID)
    narrowed = next_version(
        consulted,
        coverages=[cover(care_type="hospitalisation")],
        effective_from=date(2025, 3, 1),
    )
    return consulted, narrowed


def test_c02_a_narrowed_decision_with_a_valid_agreement_still_prices_as_guaranteed() -> None:
    consulted, narrowed = narrowed_pair()

    line = price([consulted, narrowed], provider=GP, agreement=agreement_on(consulted, GP))

    assert line.accepted
    assert line.decision == consulted
    assert shares(line) == ("28.00", "4.00", "0.00")
    assert [(remark.rule, remark.code) for remark in line.remarks] == [
        ("C-02", "agreement.guaranteed_version")
    ]


def test_c02_a_narrowed_decision_without_an_agreement_prices_on_the_current_version() -> None:
    consulted, narrowed = narrowed_pair()

    line = price([consulted, narrowed], provider=GP)

    assert reason(line) == ("C-01", "cover.absent")


def test_c02_a_version_that_pays_less_is_narrower_and_the_guarantee_wins() -> None:
    consulted = decision(insurance_part_pct=100, patient_share_pct=0, ocmw_pays=COPAYMENT_PAID)
    less = next_version(consulted, coverages=[cover()], effective_from=date(2025, 3, 1))

    line = price([consulted, less], provider=GP, agreement=agreement_on(consulted, GP))

    assert shares(line) == ("28.00", "4.00", "0.00")
    assert line.decision == consulted


def test_c02_a_wider_current_version_is_used_even_with_an_agreement() -> None:
    consulted = decision(insurance_part_pct=100, patient_share_pct=0)
    wider = next_version(consulted, coverages=[cover(ocmw_pays=COPAYMENT_PAID)])

    line = price([consulted, wider], provider=GP, agreement=agreement_on(consulted, GP))

    assert line.decision == wider
    assert line.remarks == ()
    assert shares(line) == ("28.00", "4.00", "0.00")


def test_c02_an_unknown_agreement_number_is_refused() -> None:
    line = price([decision()], provider=GP, agreement_number="NOT-KNOWN")

    assert reason(line) == ("C-02", "agreement.unknown")


def test_c02_another_providers_or_persons_agreement_guarantees_nothing() -> None:
    consulted, narrowed = narrowed_pair()

    other_provider = price(
        [consulted, narrowed], provider=GP, agreement=agreement_on(consulted, random_gp_riziv())
    )
    other_person = price(
        [consulted, narrowed],
        provider=GP,
        agreement=agreement_on(consulted, GP, ssin=random_ssin()),
    )

    for line in (other_provider, other_person):
        assert reason(line) == ("C-01", "cover.absent")  # the current version decides
        assert [remark.code for remark in line.remarks] == []
    accepted = price(
        [decision()], provider=GP, agreement=agreement_on(decision(), GP, ssin=random_ssin())
    )
    assert accepted.accepted
    assert [(remark.rule, remark.code) for remark in accepted.remarks] == [
        ("C-02", "agreement.mismatch")
    ]


def test_c02_the_thirty_days_bound_the_day_the_invoice_is_issued_not_the_care() -> None:
    consulted, narrowed = narrowed_pair()
    agreement = agreement_on(consulted, GP, valid_until=date(2025, 4, 13))

    within = price(
        [consulted, narrowed], provider=GP, agreement=agreement, issued_on=date(2025, 4, 13)
    )
    too_late = price(
        [consulted, narrowed], provider=GP, agreement=agreement, issued_on=date(2025, 4, 14)
    )

    assert within.accepted
    assert within.decision == consulted
    assert reason(too_late) == ("C-01", "cover.absent")
    covering = decision()
    expired = price(
        [covering],
        provider=GP,
        agreement=agreement_on(covering, GP, valid_until=CARE_DAY - timedelta(days=1)),
    )
    assert expired.accepted
    assert [remark.code for remark in expired.remarks] == ["agreement.expired"]


def urgent_aid_certificate(**changes: object) -> Certificate:
    facts = {
        "certificate_number": "CERT-1",
        "care_type": "general_medicine",
        "valid_from": date(2025, 3, 1),
        "valid_until": date(2025, 3, 31),
        **changes,
    }
    return Certificate(**facts)  # type: ignore[arg-type]


def test_c04_a_dmh_person_without_certificate_is_refused() -> None:
    line = price([decision(urgent_medical_aid=True)], amount="32.00")

    assert reason(line) == ("C-04", "certificate.missing")
    assert shares(line) == ("0.00", "0.00", "32.00")


def test_c04_a_dmh_person_with_a_certificate_for_the_care_is_priced() -> None:
    line = price([decision(urgent_medical_aid=True)], certificates=[urgent_aid_certificate()])

    assert line.accepted
    assert shares(line) == ("32.00", "0.00", "0.00")


def test_c04_a_certificate_for_another_period_or_care_type_does_not_count() -> None:
    dmh = decision(urgent_medical_aid=True)
    february = urgent_aid_certificate(valid_from=date(2025, 2, 1), valid_until=date(2025, 2, 28))
    dentistry = urgent_aid_certificate(care_type="other")

    assert reason(price([dmh], certificates=[february, dentistry])) == (
        "C-04",
        "certificate.missing",
    )


def test_c04_a_person_not_on_urgent_aid_needs_no_certificate() -> None:
    assert price([decision(urgent_medical_aid=False)]).accepted


LATE_DECISION = {
    "decision_date": date(2025, 3, 12),
    "period": {"start": "2025-01-01", "end": "2025-03-31"},
}


def test_d05_care_61_days_before_the_decision_date_has_no_state_share() -> None:
    own_part = decision(
        insurance_part_pct=0,
        patient_share_pct=100,
        ocmw_pays={**NOTHING, "insurance_part": "FULL"},
        **LATE_DECISION,
    )
    care = date(2025, 3, 12) - timedelta(days=61)

    line = price([own_part], on=care)

    assert line.accepted
    assert line.state_share == Decimal("0.00")
    assert shares(line) == ("0.00", "28.00", "4.00")
    assert [(remark.rule, remark.code) for remark in line.remarks] == [
        ("D-05", "care.before_cutoff")
    ]


def test_d05_care_60_days_before_the_decision_date_still_has_its_state_share() -> None:
    covering = decision(**LATE_DECISION)

    line = price([covering], on=date(2025, 3, 12) - timedelta(days=60))

    assert shares(line) == ("32.00", "0.00", "0.00")
    assert line.remarks == ()


def test_d05_with_nothing_left_for_the_payers_the_line_is_refused() -> None:
    covering = decision(**LATE_DECISION)

    line = price([covering], on=date(2025, 1, 1))

    assert reason(line) == ("D-05", "care.before_cutoff")
    assert shares(line) == ("0.00", "0.00", "32.00")


def test_c02_the_guarantee_does_not_reach_beyond_the_consulted_versions_period() -> None:
    consulted = decision(period={"start": "2025-01-01", "end": "2025-02-28"})
    reissued = next_version(consulted)

    line = price([consulted, reissued], provider=GP, agreement=agreement_on(consulted, GP))

    assert reason(line) == ("C-01", "decision.not_in_force")
