"""Tariffing's own checks of one line (T-01, T-05, T-06), each findable by its rule id; pure.

Whether and by whom the person is covered, the guarantee, the certificate and the 60-day rule are
decided once for every service in `mediprima_domain`; `rules.price_line` asks them.
Every check returns None when the line passes it, else the refusal with its stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mediprima_contracts.components import CareType, Finding
from mediprima_contracts.values import RizivNumber
from tariffing.nomenclature.rules import TariffTerms, provider_type

_CARE_TYPE_BY_PROVIDER_TYPE = {
    "gp": CareType.GENERAL_MEDICINE,
    "hospital": CareType.AMBULATORY_IN_HOSPITAL,
    "pharmacist": CareType.PHARMACEUTICAL,
    "nurse": CareType.PARAMEDICAL,
    "physiotherapist": CareType.PARAMEDICAL,
    "paramedic": CareType.PARAMEDICAL,
}


UNKNOWN_CODE = Finding(rule="T-01", code="code.unknown", message="Unknown nomenclature code")


def check_date_in_future_t06(on: date, today: date) -> Finding | None:
    if on > today:
        return Finding(
            rule="T-06", code="care.date_in_future", message="The date of care lies in the future"
        )
    return None


def check_code_t01_t05(
    tariffs: Sequence[TariffTerms], in_force: TariffTerms | None
) -> Finding | None:
    """T-01: only a nomenclature code can be charged; T-05: at the tariff of the date of care."""
    if not tariffs:
        return UNKNOWN_CODE
    if in_force is None:
        return Finding(
            rule="T-05", code="code.expired", message="The code has no tariff in force on that date"
        )
    return None


def check_provider_allowed_t06(
    tariff: TariffTerms | None, provider: RizivNumber | None
) -> Finding | None:
    """T-06: the code must be one this type of provider may charge."""
    if tariff is None or provider is None:
        return None
    if provider_type(provider) not in tariff.provider_types:
        return Finding(
            rule="T-06",
            code="code.not_allowed_for_provider",
            message="This provider type may not charge the code",
        )
    return None


def care_type_for(provider_type_name: str | None, *, admitted: bool = False) -> CareType:
    """The cover a provider's care falls under: general medicine for GPs; a hospital's care
    within a stay (an admission date) is hospitalisation, else ambulatory in hospital."""
    if provider_type_name is None:
        return CareType.GENERAL_MEDICINE
    if provider_type_name == "hospital" and admitted:
        return CareType.HOSPITALISATION
    return _CARE_TYPE_BY_PROVIDER_TYPE.get(provider_type_name, CareType.OTHER)
