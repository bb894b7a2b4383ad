from datetime import date
from typing import Any

import httpx

from mediprima_contracts.components import Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.testing import decision_request_body, example_decision_version_published
from mediprima_contracts.testing.factories import random_enterprise_number
from mediprima_contracts.values import Period
from servicekit.auth import Role
from servicekit.testing import TokenFactory

JANSSENS = {
    "last_name": "Janssens",
    "first_name": "Els",
    "birth_date": "1990-02-03",
    "sex": "female",
}


def decision_body(
    *, ocmw: str | None = None, today: date | None = None, **changes: Any
) -> dict[str, Any]:
    today = today or date.today()  # noqa: DTZ011 - the service judges against its own today
    return decision_request_body(today=today, ocmw=ocmw, **{"person": JANSSENS, **changes})


def coverage(
    care_type: str,
    start: date,
    end: date,
    *,
    insurance_part: str = "NOTHING",
    patient_share: str = "FULL",
    supplements: str = "NOTHING",
    **extra: Any,
) -> Coverage:
    """A contracts `Coverage` for rule tests."""
    return Coverage.model_validate(
        {
            "care_type": care_type,
            "period": {"start": start, "end": end},
            "ocmw_pays": {
                "insurance_part": insurance_part,
                "patient_share": patient_share,
                "supplements": supplements,
            },
            **extra,
        }
    )


def period(start: date, end: date) -> Period:
    return Period(start=start, end=end)


def coverage_body(care_type: str, start: date, end: date) -> dict[str, Any]:
    """A coverage as OCMW software sends it."""
    return {
        "care_type": care_type,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "ocmw_pays": {
            "insurance_part": "NOTHING",
            "patient_share": "FULL",
            "supplements": "NOTHING",
        },
    }


async def file_decision(
    client: httpx.AsyncClient, tokens: TokenFactory, *, ocmw: str | None = None, **changes: Any
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """File a decision (for a new OCMW unless said): its number, the OCMW's headers and the
    body sent."""
    ocmw = ocmw or random_enterprise_number()
    headers = tokens.headers(Role.OCMW, ocmw)
    body = decision_body(ocmw=ocmw, **changes)
    response = await client.post("/v1/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["decision_number"], headers, body


def version_of(
    start: date,
    end: date,
    *,
    covers: list[Coverage] | None = None,
    version: int = 1,
    decision_number: str = "000000000196",
    **changes: Any,
) -> DecisionVersionPublished:
    """A contracts decision version (not urgent aid unless said) for rule tests."""
    return example_decision_version_published(
        decision_number=decision_number,
        version=version,
        ssin="85073003328",
        period={"start": start.isoformat(), "end": end.isoformat()},
        coverages=[
            item.model_dump(mode="json")
            for item in (
                covers if covers is not None else [coverage("general_medicine", start, end)]
            )
        ],
        urgent_medical_aid=changes.pop("urgent_medical_aid", False),
        effective_from=changes.pop("effective_from", start).isoformat(),
        warnings=[],
        **changes,
    )
