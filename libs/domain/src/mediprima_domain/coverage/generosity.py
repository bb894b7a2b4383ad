"""D-03: does one statement of rights grant at least what another did?

The registry asks it of a change (what did it widen, what did it narrow); the coverage resolution
asks it of each version for a day before the version was filed, where a version may only add
rights. One comparison, so the two can never disagree on what "narrowing" means.

Narrowing (domain.md D-03 and the issue on the life cycle): a shorter period, a removed or
shortened cover, a lower OCMW top-up (a lower payment level, a lower cap, a closed or shorter
provider list, a prescription newly required), a lower state percentage (also through a refund
code that lowers the state share), and setting the urgent-aid flag (care then needs a
certificate).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from mediprima_contracts.components import Coverage, PaymentLevel, SharePercentages
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_domain.coverage.settings import CareSetting

_LEVEL = {PaymentLevel.NOTHING: 0, PaymentLevel.PARTIAL: 1, PaymentLevel.FULL: 2}
_PARTS = ("insurance_part", "patient_share", "supplements")


def cover_at_least_as_generous(new: Coverage, old: Coverage) -> bool:
    """On a day both covers hold, does `new` pay everything `old` paid, for every provider?"""
    for part in _PARTS:
        if _LEVEL[getattr(new.ocmw_pays, part)] < _LEVEL[getattr(old.ocmw_pays, part)]:
            return False
    if new.prescription_required and not old.prescription_required:
        return False
    if new.providers and (not old.providers or not set(old.providers) <= set(new.providers)):
        return False
    both_partial_share = (
        new.ocmw_pays.patient_share == old.ocmw_pays.patient_share == PaymentLevel.PARTIAL
    )
    if both_partial_share and _lower_cap(
        new.patient_share_monthly_cap, old.patient_share_monthly_cap
    ):
        return False
    both_partial_supplements = (
        new.ocmw_pays.supplements == old.ocmw_pays.supplements == PaymentLevel.PARTIAL
    )
    return not (both_partial_supplements and _lower_cap(new.supplements_max, old.supplements_max))


def state_terms_at_least_as_generous(
    new: DecisionVersionPublished,
    old: DecisionVersionPublished,
    settings: Iterable[CareSetting] = tuple(CareSetting),
) -> bool:
    """Does `new` leave the state paying at least its old percentages in `settings`, without
    newly asking for an urgent-aid certificate?"""
    if new.urgent_medical_aid and not old.urgent_medical_aid:
        return False
    return all(
        _percentages_at_least(
            getattr(new.state_share, setting.value), getattr(old.state_share, setting.value)
        )
        for setting in settings
    )


def _percentages_at_least(new: SharePercentages, old: SharePercentages) -> bool:
    return (
        new.insurance_part_pct >= old.insurance_part_pct
        and new.patient_share_pct >= old.patient_share_pct
    )


def _lower_cap(new: Decimal | None, old: Decimal | None) -> bool:
    if new is None:
        return False
    if old is None:
        return True
    return new < old
