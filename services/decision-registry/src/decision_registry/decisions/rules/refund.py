"""D-12: the refund code and the state's share, looked up in a versioned policy table.

The table is reference data (`decision_registry/reference/refund-policy-*.csv`), not code: this
module only reads a person's situation and finds the first row of the table that matches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from mediprima_contracts.components import Category

ANY = "*"
SITUATION_COLUMNS = (
    "category",
    "register",
    "residence_status",
    "insurable",
    "income_above_living_wage",
    "affiliated_to_fund",
)
SHARE_COLUMNS = (
    "hospitalisation_insurance_part_pct",
    "hospitalisation_patient_share_pct",
    "ambulatory_in_hospital_insurance_part_pct",
    "ambulatory_in_hospital_patient_share_pct",
    "outside_hospital_insurance_part_pct",
    "outside_hospital_patient_share_pct",
)


class Register(StrEnum):
    """Which register of the national register holds the person."""

    POPULATION = "population"
    FOREIGNERS = "foreigners"
    WAITING = "waiting"
    NONE = "none"


class ResidenceStatus(StrEnum):
    LEGAL = "legal"
    ILLEGAL = "illegal"


_REGISTER_OF_CATEGORY = {
    Category.NO_LEGAL_RESIDENCE: Register.NONE,
    Category.REGULARISATION_9TER: Register.FOREIGNERS,
    Category.ASYLUM_SEEKER: Register.WAITING,
    Category.STRUCK_OFF: Register.NONE,
    Category.INSURED_NEEDY: Register.POPULATION,
}


@dataclass(frozen=True)
class RefundSituation:
    """The person's situation as the policy table reads it."""

    category: Category
    register: Register
    residence_status: ResidenceStatus
    insurable: bool
    income_above_living_wage: bool
    affiliated_to_fund: bool

    def value_of(self, column: str) -> str:
        value = getattr(self, column)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)


def situation_of_d12(
    *,
    ssin_is_bis: bool,
    category: Category,
    insurable: bool,
    income_above_living_wage: bool,
    affiliated_to_fund: bool,
) -> RefundSituation:
    """D-12: a decision's situation; a BIS number means no register (not legally resident by
    default), otherwise the category tells the register; only category 1 lacks legal residence."""
    return RefundSituation(
        category=category,
        register=Register.NONE if ssin_is_bis else _REGISTER_OF_CATEGORY[category],
        residence_status=(
            ResidenceStatus.ILLEGAL
            if category is Category.NO_LEGAL_RESIDENCE
            else ResidenceStatus.LEGAL
        ),
        insurable=insurable,
        income_above_living_wage=income_above_living_wage,
        affiliated_to_fund=affiliated_to_fund,
    )


@dataclass(frozen=True)
class Share:
    insurance_part_pct: int
    patient_share_pct: int


@dataclass(frozen=True)
class RefundAssessment:
    """D-12: what the state pays for a person's situation, and under which policy version."""

    refund_code: int
    hospitalisation: Share
    ambulatory_in_hospital: Share
    outside_hospital: Share
    urgent_medical_aid: bool
    policy_version: str


@dataclass(frozen=True)
class PolicyRow:
    conditions: Mapping[str, str]
    refund_code: int
    shares: tuple[Share, Share, Share]
    urgent_medical_aid: bool

    def matches(self, situation: RefundSituation) -> bool:
        return all(
            expected in (ANY, situation.value_of(column))
            for column, expected in self.conditions.items()
        )


@dataclass(frozen=True)
class RefundPolicy:
    """One version of the policy table: rows tried in order, the first match decides."""

    version: str
    rows: tuple[PolicyRow, ...]


class PolicyTableError(ValueError):
    """The policy table is malformed (caught when it is loaded, not when a decision is filed)."""


_PERCENTAGES = {0, 50, 100}


def parse_policy_d12(version: str, records: Iterable[Mapping[str, str]]) -> RefundPolicy:
    """D-12: the policy table from its CSV records; it must end with a row matching everything."""
    rows: list[PolicyRow] = []
    for line, record in enumerate(records, start=2):
        try:
            percentages = [int(record[column]) for column in SHARE_COLUMNS]
            if not set(percentages) <= _PERCENTAGES:
                raise PolicyTableError(f"line {line}: percentages are 0, 50 or 100")
            shares = (
                Share(percentages[0], percentages[1]),
                Share(percentages[2], percentages[3]),
                Share(percentages[4], percentages[5]),
            )
            rows.append(
                PolicyRow(
                    conditions={column: record[column].strip() for column in SITUATION_COLUMNS},
                    refund_code=int(record["refund_code"]),
                    shares=shares,
                    urgent_medical_aid=record["urgent_medical_aid"].strip() == "true",
                )
            )
        except (KeyError, ValueError) as exc:
            raise PolicyTableError(f"refund policy {version}, line {line}: {exc}") from exc
    if not rows or any(value != ANY for value in rows[-1].conditions.values()):
        raise PolicyTableError(f"refund policy {version}: the last row must match every situation")
    return RefundPolicy(version=version, rows=tuple(rows))


def assess_refund_d12(situation: RefundSituation, policy: RefundPolicy) -> RefundAssessment:
    """D-12: the first row of the policy table matching the situation fixes the state's share."""
    row = next(row for row in policy.rows if row.matches(situation))
    return RefundAssessment(
        refund_code=row.refund_code,
        hospitalisation=row.shares[0],
        ambulatory_in_hospital=row.shares[1],
        outside_hospital=row.shares[2],
        urgent_medical_aid=row.urgent_medical_aid,
        policy_version=policy.version,
    )
