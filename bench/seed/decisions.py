"""The decisions a run loads: `count` people over `ocmws` OCMWs, each filed once, in force today.

Every snapshot is what the registry's own create path makes of a filing: the request is validated
as `DecisionInput`, assessed by its D-12 function, checked by its pure rules (D-02 … D-15, with
the filing day as `today`) and turned into the published version by `snapshot_from_input`, then
stamped as `record_version` stamps it (filing day, person id). Only the database steps are left
out; `bench.seed.load` writes the rows those steps would have written.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bench.seed.identities import ocmw_nis, ocmw_number, person_ssin
from decision_registry.decisions import rules
from decision_registry.decisions.checks import assess_input, whole_decision_findings
from decision_registry.decisions.numbers import decision_number_for
from decision_registry.decisions.schemas import DecisionInput
from decision_registry.decisions.versions import columns_of, snapshot_from_input
from decision_registry.persons.service import new_person_id
from mediprima_contracts.components import ChangeKind, DecisionStatus

URGENT_AID_EVERY = 10  # one decision in ten is urgent medical aid only (no legal residence)
_PERSON = {"last_name": "Peeters", "first_name": "An", "birth_date": None, "sex": "unknown"}


@dataclass(frozen=True, slots=True)
class SeededDecision:
    """One filed decision: its registry row id, person and published version 1."""

    row_id: int
    decision_number: str
    ssin: str
    person_id: str
    status: str
    urgent_medical_aid: bool
    ocmw: dict[str, Any]
    filed_at: datetime
    refund_policy_version: str | None
    snapshot_json: str  # DecisionVersionPublished, serialised once as SQLAlchemy's JSON type would
    columns: dict[str, Any]  # the registry's `decisions` columns for it


def seeded_decisions(*, count: int, ocmws: int, today: date) -> list[SeededDecision]:
    """Built in two processes: the rules and validation take ~250 µs per decision."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        middle = (count + 1) // 2
        halves = pool.map(_filed_range, [(0, middle, ocmws, today), (middle, count, ocmws, today)])
        return [decision for half in halves for decision in half]


def _filed_range(task: tuple[int, int, int, date]) -> list[SeededDecision]:
    start, stop, ocmws, today = task
    return [_filed(index, ocmws=ocmws, today=today) for index in range(start, stop)]


def _filed(index: int, *, ocmws: int, today: date) -> SeededDecision:
    request = DecisionInput.model_validate(_request_body(index, ocmws=ocmws, today=today))
    filed_on = request.decision_date
    refund = assess_input(request)
    urgent_aid_period_start = rules.urgent_aid_period_start_d10(
        urgent_medical_aid=refund.urgent_medical_aid, period_start=request.period.start, before=None
    )
    warnings = rules.settle_findings_d13(
        [
            *whole_decision_findings(
                request,
                refund=refund,
                urgent_aid_period_start=urgent_aid_period_start,
                today=filed_on,
            ),
            *rules.check_backdating_d04(
                limit=rules.earliest_grantable_day_d04(
                    filed_on=filed_on, court_decision=False, court_decision_reference=None
                ),
                period=request.period,
                coverages=request.coverages,
            ),
            *rules.check_decision_date_d04(decision_date=request.decision_date, filed_on=filed_on),
        ]
    )
    row_id = index + 1
    draft = snapshot_from_input(
        request,
        decision_number=decision_number_for(row_id),
        version=1,
        status=DecisionStatus.ACTIVE,
        change_kind=ChangeKind.CREATED,
        effective_from=request.period.start,
        narrowing_from=request.period.start,
        refund=refund,
        urgent_aid_period_start=urgent_aid_period_start,
        warnings=warnings,
    )
    person_id = new_person_id()
    # record_version validates the stamped copy again; a new person id and the filing day are
    # valid by construction, and validating 100,000 snapshots twice costs 8 s
    snapshot = draft.model_copy(
        update={"filed_on": filed_on, "person_id": person_id, "pending_ssin": None}
    )
    published = snapshot.model_dump(mode="json")
    return SeededDecision(
        row_id=row_id,
        decision_number=snapshot.decision_number,
        ssin=snapshot.ssin,
        person_id=person_id,
        status=snapshot.status.value,
        urgent_medical_aid=snapshot.urgent_medical_aid,
        ocmw=published["ocmw"],
        filed_at=datetime.combine(filed_on, time(10), tzinfo=UTC),
        refund_policy_version=refund.policy_version,
        snapshot_json=json.dumps(published),
        columns=columns_of(snapshot),
    )


def _request_body(index: int, *, ocmws: int, today: date) -> dict[str, Any]:
    """Filed over the last eight months, every period in force today (D-04: rights reach back
    at most 60 days before the filing day; D-09: a year at most; D-10: urgent aid 3 months)."""
    urgent = index % URGENT_AID_EVERY == 0
    if urgent:
        filed_on = today - timedelta(days=index % 45)
        start = filed_on - timedelta(days=index % 20)
        end = start + timedelta(days=85)
    else:
        filed_on = today - timedelta(days=index * 37 % 240)
        start = filed_on - timedelta(days=index % 30)
        end = start + timedelta(days=360)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    ocmw = index % ocmws
    return {
        "ssin": person_ssin(index),
        "person": _PERSON,
        "ocmw": {
            "enterprise_number": ocmw_number(ocmw),
            "municipality_nis": ocmw_nis(ocmw),
            "name_nl": f"OCMW {ocmw_nis(ocmw)}",
            "name_fr": f"CPAS {ocmw_nis(ocmw)}",
            "language": "nl" if ocmw % 3 else "fr",
        },
        "committee_date": filed_on.isoformat(),
        "decision_date": filed_on.isoformat(),
        "period": period,
        "category": "no_legal_residence" if urgent else "asylum_seeker",
        "court_decision": False,
        "insurable": False,
        "affiliated_to_fund": False,
        "income_above_living_wage": False,
        "coverages": [
            {
                "care_type": "general_medicine",
                "period": period,
                "ocmw_pays": {
                    "insurance_part": "NOTHING",
                    "patient_share": "FULL",
                    "supplements": "NOTHING",
                },
            }
        ],
    }
