"""C-01 over HTTP: why a person is not covered, told in the answer rather than as an error."""

from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory, deliver, eventually, revised


async def consult(
    client: httpx.AsyncClient, tokens: TokenFactory, ssin: str, day: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/consultations",
        json={"ssin": ssin, "date": day, **extra},
        headers=tokens.headers(Role.GP, random_gp_riziv()),
    )
    assert response.status_code == 201
    return dict(response.json())


def reasons(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(reason["rule"], reason["code"]) for reason in answer["reasons"]]


async def test_c01_a_date_outside_every_cover_of_the_care_type_is_not_covered(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    decision = example_decision_version_published(
        urgent_medical_aid=False,
        coverages=[
            example_coverage(period={"start": "2025-01-01", "end": "2025-01-31"}),
            example_coverage(care_type="pharmaceutical"),
        ],
    )
    await deliver(tmp_path, decision)
    in_january = await eventually(
        lambda: consult(client, tokens, decision.ssin, "2025-01-20", care_type="general_medicine"),
        lambda answer: answer["covered"],
    )

    in_february = await consult(
        client, tokens, decision.ssin, "2025-02-20", care_type="general_medicine"
    )
    pharmacy = await consult(
        client, tokens, decision.ssin, "2025-02-20", care_type="pharmaceutical"
    )

    assert in_january["urgent_medical_aid_certificate_required"] is False
    assert in_february["covered"] is False
    assert in_february["coverages"] == []
    assert in_february["agreement_number"] is None
    assert in_february["decision_number"] == decision.decision_number
    assert reasons(in_february) == [("C-01", "cover.not_active")]
    assert pharmacy["covered"] is True
    assert [cover["care_type"] for cover in pharmacy["coverages"]] == ["pharmaceutical"]


async def test_c01_d08_a_stopped_decision_covers_until_its_stop_date(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    active = example_decision_version_published()
    until_stop = {"start": "2025-01-01", "end": "2025-02-14"}
    stopped = revised(
        active,
        version=2,
        status="stopped",
        change_kind="stopped",
        period=until_stop,
        coverages=[example_coverage(period=until_stop)],
        effective_from="2025-02-15",
    )
    await deliver(tmp_path, active, stopped)
    after = await eventually(
        lambda: consult(client, tokens, active.ssin, "2025-03-01"),
        lambda answer: answer["version"] == 2,
    )

    last_day = await consult(client, tokens, active.ssin, "2025-02-14")

    assert reasons(after) == [("D-08", "decision.stopped")]
    assert after["covered"] is False
    assert last_day["covered"] is True
    # The stop takes effect the day after the stop date: that day is still under version 1,
    # the version pricing also uses for care given on it.
    assert last_day["version"] == 1
