"""Random decision histories as the registry publishes them, for hypothesis.

Each person gets one or two decisions, by one OCMW or by two, each living through creations,
widenings, narrowings (retroactive in part), suspensions by the OCMW or by a register mutation
(with a BIS number replaced by a register number), reactivations, deaths, hand-overs and stops.
Versions follow the registry's rules for `effective_from` and `narrowing_from`, so the histories
are those a consumer can meet; old data where two OCMWs overlap is kept on purpose: the services
must still give one answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing import example_decision_version_published
from mediprima_contracts.testing.numbers import make_enterprise_number, make_riziv, make_ssin

YEAR_START = date(2026, 1, 1)
LAST_DAY = date(2026, 12, 31)
OCMWS = (make_enterprise_number(body=2_123_448), make_enterprise_number(body=2_123_449))
OTHER_GP = make_riziv(profession=1, sequence=54321, qualification="004")
LEVELS = ("NOTHING", "PARTIAL", "FULL")
CARE_TYPES = ("general_medicine", "hospitalisation")
CHANGES = (
    "widen",
    "narrow",
    "mixed",
    "suspend",
    "mutation",
    "reactivate",
    "death",
    "hand_over",
    "stop",
)


@dataclass(frozen=True)
class Person:
    number: str
    new_number: str
    person_id: str


def day(offset: int) -> date:
    return YEAR_START + timedelta(days=offset)


def _cover(care_type: str, start: date, end: date, level: str, providers: list[str]) -> Any:
    return {
        "care_type": care_type,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "ocmw_pays": {
            "insurance_part": "NOTHING",
            "patient_share": level,
            "supplements": "NOTHING",
        },
        "providers": providers,
    }


def _covers(start: date, end: date, level: str, providers: list[str]) -> list[Any]:
    return [
        _cover("general_medicine", start, end, level, providers),
        _cover("hospitalisation", start, end, level, []),
        _cover("ambulatory_in_hospital", start, end, level, []),
    ]


@st.composite
def decision_life(
    draw: st.DrawFn, person: Person, *, gp: str, start_offset: int
) -> list[DecisionVersionPublished]:
    """The versions of one decision about `person`, oldest first."""
    start = day(start_offset)
    end = min(start + timedelta(days=draw(st.integers(30, 200))), LAST_DAY)
    level = draw(st.sampled_from(LEVELS))
    providers = draw(st.sampled_from([[], [gp], [OTHER_GP]]))
    example = example_decision_version_published()
    first = example_decision_version_published(
        decision_number=str(uuid.uuid4().int % 10**12).rjust(12, "0"),
        ssin=person.number,
        person_id=person.person_id,
        person=example.person.model_dump(mode="json"),
        ocmw=example.ocmw.model_dump(mode="json")
        | {"enterprise_number": draw(st.sampled_from(OCMWS))},
        decision_date=start.isoformat(),
        committee_date=start.isoformat(),
        period={"start": start.isoformat(), "end": end.isoformat()},
        coverages=_covers(start, end, level, providers),
        urgent_medical_aid=False,
        effective_from=start.isoformat(),
        narrowing_from=start.isoformat(),
        filed_on=start.isoformat(),
        warnings=[],
    )
    versions = [first]
    filed = start
    suspended_from: date | None = None
    for change in draw(st.lists(st.sampled_from(CHANGES), max_size=5)):
        current = versions[-1]
        if current.status == "stopped":
            break
        filed = min(filed + timedelta(days=draw(st.integers(1, 40))), LAST_DAY)
        update = _change(draw, change, current, filed, suspended_from, person)
        if update is None:
            continue
        if change in ("suspend", "mutation"):
            suspended_from = date.fromisoformat(update["effective_from"])
        versions.append(
            DecisionVersionPublished.model_validate(
                current.model_dump(mode="json")
                | {"version": current.version + 1, "filed_on": filed.isoformat()}
                | update
            )
        )
    return versions


def _change(
    draw: st.DrawFn,
    change: str,
    current: DecisionVersionPublished,
    filed: date,
    suspended_from: date | None,
    person: Person,
) -> dict[str, Any] | None:
    active, suspended = current.status == "active", current.status == "suspended"
    start, end = current.period.start, current.period.end
    iso = date.isoformat
    if change in ("widen", "narrow", "mixed") and active:
        earlier = start - timedelta(days=draw(st.integers(0, 50))) if change != "narrow" else start
        lower = "NOTHING" if change != "widen" else "FULL"
        providers = list(current.coverages[0].providers) if current.coverages else []
        return {
            "change_kind": "replaced",
            "period": {"start": iso(earlier), "end": iso(end)},
            "coverages": _covers(earlier, end, lower, providers),
            "effective_from": iso(min(earlier if earlier < start else filed, filed)),
            "narrowing_from": iso(filed),
        }
    if change == "suspend" and active:
        effective = iso(max(filed, start))
        return {"change_kind": "suspended", "status": "suspended"} | _from(effective)
    if change == "mutation" and active and not current.replaced_ssins:
        effective = iso(max(filed - timedelta(days=draw(st.integers(0, 30))), start))
        return {
            "change_kind": "mutation",
            "status": "suspended",
            "pending_ssin": person.new_number,
        } | _from(effective)
    if change == "reactivate" and suspended and suspended_from is not None:
        renumbered = current.pending_ssin is not None
        return {
            "change_kind": "reactivated",
            "status": "active",
            "effective_from": iso(suspended_from),
            "narrowing_from": iso(filed),
            "pending_ssin": None,
        } | ({"ssin": person.new_number, "replaced_ssins": [person.number]} if renumbered else {})
    if change == "death" and current.person.death_date is None:
        died = max(filed - timedelta(days=draw(st.integers(0, 20))), start)
        person_now = current.person.model_dump(mode="json") | {"death_date": iso(died)}
        return {"change_kind": "mutation", "person": person_now} | _from(iso(died))
    if change == "hand_over" and (active or suspended):
        other = OCMWS[1] if current.ocmw.enterprise_number == OCMWS[0] else OCMWS[0]
        ocmw = current.ocmw.model_dump(mode="json") | {"enterprise_number": other}
        return {"change_kind": "handed_over", "ocmw": ocmw} | _from(iso(max(filed, start)))
    if change == "stop" and (active or suspended):
        stop = min(max(filed - timedelta(days=1), start), end)
        covers = [
            cover.model_dump(mode="json")
            | {
                "period": {
                    "start": iso(cover.period.start),
                    "end": iso(min(cover.period.end, stop)),
                }
            }
            for cover in current.coverages
            if cover.period.start <= stop
        ]
        return {
            "change_kind": "stopped",
            "status": "stopped",
            "period": {"start": iso(start), "end": iso(stop)},
            "coverages": covers,
        } | _from(iso(stop + timedelta(days=1)))
    return None


def _from(effective: str) -> dict[str, str]:
    return {"effective_from": effective, "narrowing_from": effective}


@st.composite
def people_histories(
    draw: st.DrawFn, *, gp: str
) -> tuple[list[Person], list[DecisionVersionPublished]]:
    """One or two people, each with one or two decisions; every version of every decision."""
    people: list[Person] = []
    versions: list[DecisionVersionPublished] = []
    for _ in range(draw(st.integers(1, 2))):
        sequence = draw(st.integers(1, 997))
        person = Person(
            number=make_ssin(year=1980, month=5, day=4, sequence=sequence, bis_offset=40),
            new_number=make_ssin(year=1980, month=5, day=4, sequence=sequence),
            person_id="P" + uuid.uuid4().hex,
        )
        people.append(person)
        first_start = draw(st.integers(0, 120))
        versions += draw(decision_life(person, gp=gp, start_offset=first_start))
        if draw(st.booleans()):
            second_start = first_start + draw(st.integers(20, 200))
            versions += draw(decision_life(person, gp=gp, start_offset=min(second_start, 330)))
    return people, versions


def delivery_orders(
    versions: list[DecisionVersionPublished],
) -> st.SearchStrategy[list[DecisionVersionPublished]]:
    """Every version at least once, some twice, in any order."""
    return st.lists(st.sampled_from(versions), max_size=len(versions)).flatmap(
        lambda repeats: st.permutations(versions + repeats)
    )


def probe_days(versions: list[DecisionVersionPublished]) -> list[date]:
    """The days worth asking about: every boundary of every version, and a day each month."""
    days = {day(offset) for offset in range(0, 365, 30)}
    for version in versions:
        for boundary in (version.effective_from, version.period.start, version.period.end):
            days |= {boundary - timedelta(days=1), boundary, boundary + timedelta(days=1)}
        if version.person.death_date:
            days |= {version.person.death_date + timedelta(days=offset) for offset in (5, 6)}
    return sorted(d for d in days if YEAR_START <= d <= LAST_DAY)
