"""Small builders of decision versions for the rules' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing import example_decision_version_published
from mediprima_contracts.testing.numbers import make_enterprise_number, make_ssin

PERSON = make_ssin(year=1985, month=7, day=30, sequence=11, bis_offset=40)
NEW_NUMBER = make_ssin(year=1985, month=7, day=30, sequence=13)
OCMW_A = make_enterprise_number(body=2_123_448)
OCMW_B = make_enterprise_number(body=2_123_449)
PERSON_ID = "P" + "a" * 32


def cover(
    care_type: str = "general_medicine",
    start: date = date(2026, 1, 1),
    end: date = date(2026, 12, 31),
    *,
    patient_share: str = "FULL",
    providers: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "care_type": care_type,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "ocmw_pays": {
            "insurance_part": "NOTHING",
            "patient_share": patient_share,
            "supplements": "NOTHING",
        },
        "providers": providers or [],
    }


def version(
    number: str = "100000000001",
    version: int = 1,
    *,
    start: date = date(2026, 1, 1),
    end: date = date(2026, 12, 31),
    covers: list[dict[str, Any]] | None = None,
    status: str = "active",
    effective_from: date | None = None,
    narrowing_from: date | None = None,
    change_kind: str = "created",
    ocmw: str = OCMW_A,
    ssin: str = PERSON,
    death_date: date | None = None,
    **changes: Any,
) -> DecisionVersionPublished:
    changes.setdefault("urgent_medical_aid", False)
    example = example_decision_version_published()
    person = example.person.model_dump(mode="json") | {
        "death_date": death_date.isoformat() if death_date else None
    }
    return example_decision_version_published(
        decision_number=number,
        version=version,
        status=status,
        ssin=ssin,
        person=person,
        ocmw=example.ocmw.model_dump(mode="json") | {"enterprise_number": ocmw},
        period={"start": start.isoformat(), "end": end.isoformat()},
        coverages=[cover(start=start, end=end)] if covers is None else covers,
        effective_from=(effective_from or start).isoformat(),
        narrowing_from=narrowing_from.isoformat() if narrowing_from else None,
        change_kind=change_kind,
        person_id=PERSON_ID,
        warnings=[],
        **changes,
    )
