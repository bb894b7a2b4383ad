"""Valid request bodies of the integration contract (api.md), for tests and benchmarks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin


def decision_request_body(
    *,
    today: date,
    ssin: str | None = None,
    ocmw: str | None = None,
    municipality_nis: str = "44021",
    days_before: int = 10,
    days_after: int = 80,
    **changes: Any,
) -> dict[str, Any]:
    """`POST /v1/decisions`: an asylum seeker covered for general medicine around `today`.

    `changes` replace top-level fields (e.g. `person`, `committee_date`, `coverages`).
    """
    period = {
        "start": (today - timedelta(days=days_before)).isoformat(),
        "end": (today + timedelta(days=days_after)).isoformat(),
    }
    body: dict[str, Any] = {
        "ssin": ssin or random_ssin(),
        "person": {
            "last_name": "Peeters",
            "first_name": "An",
            "birth_date": "1985-04-12",
            "sex": "female",
        },
        "ocmw": {
            "enterprise_number": ocmw or random_enterprise_number(),
            "municipality_nis": municipality_nis,
        },
        "committee_date": today.isoformat(),
        "decision_date": today.isoformat(),
        "period": period,
        "category": "asylum_seeker",
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
    return body | changes
