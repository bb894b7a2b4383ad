"""The setting of a care (hospital stay, ambulatory in hospital, outside hospital): it fixes
which of the state's percentages apply (T-02) and whether the care belongs to a hospital stay."""

from __future__ import annotations

from enum import StrEnum

from mediprima_contracts.components import CareType, SharePercentages
from mediprima_contracts.events.decisions import DecisionVersionPublished


class CareSetting(StrEnum):
    HOSPITALISATION = "hospitalisation"
    AMBULATORY_IN_HOSPITAL = "ambulatory_in_hospital"
    OUTSIDE_HOSPITAL = "outside_hospital"


HOSPITAL_CARE = frozenset({CareType.HOSPITALISATION, CareType.AMBULATORY_IN_HOSPITAL})


def setting_of(care_type: CareType | str) -> CareSetting:
    if care_type == CareType.HOSPITALISATION:
        return CareSetting.HOSPITALISATION
    if care_type == CareType.AMBULATORY_IN_HOSPITAL:
        return CareSetting.AMBULATORY_IN_HOSPITAL
    return CareSetting.OUTSIDE_HOSPITAL


def state_percentages(
    decision: DecisionVersionPublished, care_type: CareType | str
) -> SharePercentages:
    """The refund code's percentages for the setting of the care (T-02)."""
    share: SharePercentages = getattr(decision.state_share, setting_of(care_type).value)
    return share
