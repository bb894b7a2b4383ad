"""The checks of one line, each findable by its rule id; pure (pass `today`).

Every check returns None when the line passes it, else the `Refusal` with its stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mediprima_contracts.components import CareType, Coverage, DecisionStatus, SharePercentages
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import RizivNumber
from tariffing.nomenclature.rules import TariffTerms, provider_type

D05_MAX_DAYS_BEFORE_DECISION = 60
I04_BILLING_YEARS = 2

_CARE_TYPE_BY_PROVIDER_TYPE = {
    "gp": CareType.GENERAL_MEDICINE,
    "hospital": CareType.AMBULATORY_IN_HOSPITAL,
    "pharmacist": CareType.PHARMACEUTICAL,
    "nurse": CareType.PARAMEDICAL,
    "physiotherapist": CareType.PARAMEDICAL,
    "paramedic": CareType.PARAMEDICAL,
}
_STATUS_PREFERENCE = {DecisionStatus.ACTIVE: 0, DecisionStatus.SUSPENDED: 1}


@dataclass(frozen=True)
class Refusal:
    """Why a line is refused (or a remark on how it was priced): rule id, stable code, text."""

    rule: str
    code: str
    message: str


@dataclass(frozen=True)
class Agreement:
    """A payment guarantee from a recorded consultation (C-02)."""

    agreement_number: str
    provider: str
    ssin: str
    decision_number: str
    version: int
    valid_until: date


@dataclass(frozen=True)
class Certificate:
    """An urgent-medical-aid certificate still in force (C-04)."""

    certificate_number: str
    care_type: str
    valid_from: date
    valid_until: date | None

    def covers(self, care_type: str, on: date) -> bool:
        until = self.valid_until or date.max
        return self.care_type == care_type and self.valid_from <= on <= until


def check_date_in_future_t06(on: date, today: date) -> Refusal | None:
    if on > today:
        return Refusal("T-06", "care.date_in_future", "The date of care lies in the future")
    return None


def check_billing_limit_i04(on: date, today: date) -> Refusal | None:
    """I-04: care is billed within 2 years; later only with the funder's written approval."""
    if on < years_before(today, I04_BILLING_YEARS):
        return Refusal(
            "I-04", "care.too_old", "Care older than 2 years needs the funder's written approval"
        )
    return None


def check_code_t01_t05(
    tariffs: Sequence[TariffTerms], in_force: TariffTerms | None
) -> Refusal | None:
    """T-01: only a nomenclature code can be charged; T-05: at the tariff of the date of care."""
    if not tariffs:
        return Refusal("T-01", "code.unknown", "Unknown nomenclature code")
    if in_force is None:
        return Refusal("T-05", "code.expired", "The code has no tariff in force on that date")
    return None


def check_provider_allowed_t06(
    tariff: TariffTerms | None, provider: RizivNumber | None
) -> Refusal | None:
    """T-06: the code must be one this type of provider may charge."""
    if tariff is None or provider is None:
        return None
    if provider_type(provider) not in tariff.provider_types:
        return Refusal(
            "T-06", "code.not_allowed_for_provider", "This provider type may not charge the code"
        )
    return None


def check_agreement_c02(
    agreement_number: str | None,
    agreement: Agreement | None,
    *,
    ssin: str,
    provider: RizivNumber | None,
    on: date,
) -> Refusal | None:
    """C-02 / I-05b: an agreement number on a line must be known, the caller's, and in time."""
    if agreement_number is None:
        return None
    if agreement is None or agreement.agreement_number != agreement_number:
        return Refusal("C-02", "agreement.unknown", "Unknown agreement number")
    if agreement.ssin != ssin or (provider is not None and agreement.provider != provider):
        return Refusal(
            "C-02", "agreement.mismatch", "The agreement was given to another provider or person"
        )
    if on > agreement.valid_until:
        return Refusal("C-02", "agreement.expired", "The agreement had expired on that date")
    return None


def check_deceased_t06(death: date | None, on: date) -> Refusal | None:
    if death is not None and on > death:
        return Refusal("T-06", "patient.deceased", "The patient had died before the date of care")
    return None


def check_decision_status_t06(decision: DecisionVersionPublished | None) -> Refusal | None:
    if decision is None:
        return Refusal("T-06", "decision.absent", "No decision covers the person on that date")
    if decision.status is DecisionStatus.SUSPENDED:
        return Refusal("T-06", "decision.suspended", "The decision is suspended")
    if decision.status is not DecisionStatus.ACTIVE:
        return Refusal("T-06", "decision.not_active", "The decision is not active")
    return None


def check_cover_t06(
    decision: DecisionVersionPublished, care_type: str, on: date
) -> tuple[Coverage | None, Refusal | None]:
    """T-06: the decision must hold a cover of the care type, active on the date of care."""
    covers = [cover for cover in decision.coverages if cover.care_type == care_type]
    if not covers:
        return None, Refusal("T-06", "cover.absent", f"The decision has no {care_type} cover")
    for cover in covers:
        if cover.period.contains(on):
            return cover, None
    return None, Refusal("T-06", "cover.not_active", "The cover is not active on that date")


def check_provider_in_list_t06(cover: Coverage, provider: RizivNumber | None) -> Refusal | None:
    """T-06: a cover with a closed provider list pays only those providers."""
    if not cover.providers or provider is None or provider in cover.providers:
        return None
    return Refusal("T-06", "provider.not_in_list", "The provider is not in the cover's list")


def check_certificate_c04(
    decision: DecisionVersionPublished,
    certificates: Sequence[Certificate],
    care_type: str,
    on: date,
) -> Refusal | None:
    """C-04: urgent medical aid is paid only with a certificate for that care on that date."""
    if not decision.urgent_medical_aid:
        return None
    if any(certificate.covers(care_type, on) for certificate in certificates):
        return None
    return Refusal("C-04", "certificate.missing", "No urgent-medical-aid certificate for the care")


def state_pays_d05(decision: DecisionVersionPublished, on: date) -> bool:
    """D-05: the state pays only for care at most 60 days before the decision date."""
    return (decision.decision_date - on).days <= D05_MAX_DAYS_BEFORE_DECISION


def decision_in_force(
    versions: Sequence[DecisionVersionPublished], on: date
) -> DecisionVersionPublished | None:
    """The version in force on the date of care of the decision whose period holds it.

    Per decision, the highest version that took effect on or before the date (D-03: a narrowing
    takes effect from its change, a widening may reach back); among decisions, an active one first.
    """
    in_force = []
    for number in {version.decision_number for version in versions}:
        own = [version for version in versions if version.decision_number == number]
        effective = [version for version in own if version.effective_from <= on] or own
        chosen = max(effective, key=lambda version: version.version)
        if chosen.period.contains(on):
            in_force.append(chosen)
    if not in_force:
        return None
    return min(
        in_force,
        key=lambda version: (_STATUS_PREFERENCE.get(version.status, 2), version.decision_number),
    )


def guaranteed_version_c02(
    agreement: Agreement | None, versions: Sequence[DecisionVersionPublished], on: date
) -> DecisionVersionPublished | None:
    """C-02: the decision version the provider consulted, when this service knows it and its
    period holds the date of care (the guarantee never reaches beyond what was consulted)."""
    if agreement is None:
        return None
    for version in versions:
        if (version.decision_number, version.version) == (
            agreement.decision_number,
            agreement.version,
        ) and version.period.contains(on):
            return version
    return None


def death_date(versions: Sequence[DecisionVersionPublished]) -> date | None:
    """The date of death the newest version of any of the person's decisions knows."""
    for version in sorted(versions, key=lambda version: version.version, reverse=True):
        if version.person.death_date is not None:
            return version.person.death_date
    return None


def care_type_for(provider_type_name: str | None) -> CareType:
    """The cover a provider's care falls under: general medicine for GPs."""
    if provider_type_name is None:
        return CareType.GENERAL_MEDICINE
    return _CARE_TYPE_BY_PROVIDER_TYPE.get(provider_type_name, CareType.OTHER)


def state_percentages(decision: DecisionVersionPublished, care_type: str) -> SharePercentages:
    """T-02: the refund code's percentages for the setting of the care."""
    if care_type == CareType.AMBULATORY_IN_HOSPITAL:
        return decision.state_share.ambulatory_in_hospital
    if care_type == CareType.HOSPITALISATION:
        return decision.state_share.hospitalisation
    return decision.state_share.outside_hospital


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
