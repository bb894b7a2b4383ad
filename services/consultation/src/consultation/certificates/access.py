"""C-04: the OCMW covering a person reads its clients' certificates, pure.

The OCMW keeps the certificates for the funder's inspection (urgent-medical-aid text: "Bij
medische zorg buiten het ziekenhuis wordt het attest opgestuurd naar het bevoegd OCMW, dat het
attest bewaart. De attesten dienen aanwezig te zijn voor mogelijke controles van de federale
overheid/POD-MI."). An OCMW therefore reads the certificates of a person one of its decisions
covers, for the days it was competent for that decision (D-14): the first owner until a
hand-over, the receiving OCMW from the day it accepted. The same days the settlement books the
paid care to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from mediprima_contracts.components import ChangeKind
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period
from mediprima_domain.coverage import DecisionHistory
from servicekit.errors import Forbidden


def competence_periods_c04(history: DecisionHistory, ocmw: str) -> list[Period]:
    """The days on which `ocmw` owned one of the person's decisions, within their periods."""
    periods: list[Period] = []
    for versions in history.decisions():
        periods += _owned(versions, ocmw)
    return periods


def check_ocmw_client_c04(periods: Sequence[Period]) -> None:
    """C-04: an OCMW reads the certificates of its own clients only."""
    if not periods:
        raise Forbidden.for_rule(
            "C-04",
            "certificate.not_ocmw_client",
            "None of this OCMW's decisions covers the person: its certificates are not yours",
        )


def visible_to_ocmw_c04(
    *, valid_from: date, valid_until: date | None, periods: Sequence[Period]
) -> bool:
    """C-04: a certificate is the OCMW's when its validity meets a day the OCMW was competent."""
    validity = Period(start=valid_from, end=valid_until or date.max)
    return any(validity.overlaps(period) for period in periods)


def _owned(versions: Sequence[DecisionVersionPublished], ocmw: str) -> list[Period]:
    span = Period(
        start=min(version.period.start for version in versions),
        end=max(version.period.end for version in versions),
    )
    owned: list[Period] = []
    owner, since = versions[0].ocmw.enterprise_number, span.start
    for version in versions:
        if version.change_kind is not ChangeKind.HANDED_OVER:
            continue
        receiver = version.ocmw.enterprise_number
        if receiver == owner:
            continue
        if owner == ocmw:
            owned += _clipped(since, version.effective_from - timedelta(days=1), span)
        owner, since = receiver, version.effective_from
    if owner == ocmw:
        owned += _clipped(since, span.end, span)
    return owned


def _clipped(start: date, end: date, span: Period) -> list[Period]:
    start, end = max(start, span.start), min(end, span.end)
    return [Period(start=start, end=end)] if start <= end else []
