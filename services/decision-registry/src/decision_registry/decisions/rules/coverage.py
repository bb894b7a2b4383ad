"""What the coverages of one decision must look like: D-02 and D-06."""

from __future__ import annotations

from collections.abc import Sequence

from decision_registry.decisions.rules.findings import RuleFinding, error, warning
from mediprima_contracts.components import CareType, Coverage
from mediprima_contracts.values import Period

_PAIRS = (
    (CareType.HOSPITALISATION, CareType.AMBULATORY_IN_HOSPITAL),
    (CareType.AMBULATORY_IN_HOSPITAL, CareType.HOSPITALISATION),
)


def is_principle_decision_d02(coverages: Sequence[Coverage]) -> bool:
    """D-02: no coverage at all means competence and need acknowledged, nothing paid yet."""
    return not coverages


def check_principle_decision_d02(coverages: Sequence[Coverage]) -> list[RuleFinding]:
    """D-02: a principle decision is valid, but the OCMW is told it pays nothing yet."""
    if not is_principle_decision_d02(coverages):
        return []
    return [
        warning(
            "D-02",
            "decision.principle_decision",
            "No coverage: this principle decision pays nothing until coverages are added",
            "coverages",
        )
    ]


def check_coverage_shape(period: Period, coverages: Sequence[Coverage]) -> list[RuleFinding]:
    """One coverage per care type, each within the decision period (D-02's coverage model)."""
    findings: list[RuleFinding] = []
    seen: set[CareType] = set()
    for index, coverage in enumerate(coverages):
        if coverage.care_type in seen:
            findings.append(
                error(
                    "D-02",
                    "coverage.duplicate_care_type",
                    f"Only one coverage per care type ({coverage.care_type})",
                    f"coverages.{index}.care_type",
                )
            )
        seen.add(coverage.care_type)
        if not period.covers(coverage.period):
            findings.append(
                error(
                    "D-02",
                    "coverage.outside_decision_period",
                    "A coverage lies within the decision period",
                    f"coverages.{index}.period",
                )
            )
    return findings


def check_hospital_pairing_d06(coverages: Sequence[Coverage]) -> list[RuleFinding]:
    """D-06: hospitalisation needs ambulatory-in-hospital for at least the same period, and the
    other way round."""
    by_type = {coverage.care_type: coverage for coverage in coverages}
    findings: list[RuleFinding] = []
    for index, coverage in enumerate(coverages):
        for needing, needed in _PAIRS:
            if coverage.care_type != needing:
                continue
            partner = by_type.get(needed)
            if partner is None or not partner.period.covers(coverage.period):
                findings.append(
                    error(
                        "D-06",
                        f"coverage.{needing.value}_without_{needed.value}",
                        f"A {needing} coverage needs a {needed} coverage for at least the "
                        "same period",
                        f"coverages.{index}.period",
                    )
                )
    return findings
