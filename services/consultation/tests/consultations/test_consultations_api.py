"""GP software asks whether an OCMW covers a person on a date."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from consultation.consultations import service as consultation_service
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.events import example_decision_version_published
from mediprima_contracts.testing.factories import (
    random_dentist_riziv,
    random_gp_riziv,
    random_hospital_number,
    random_ssin,
)
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, eventually, revised

CARE_DAY = "2025-02-14"


async def consult(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    ssin: str,
    *,
    provider: str | None = None,
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        "/v1/consultations",
        json={"ssin": ssin, "date": CARE_DAY, **extra},
        headers=tokens.headers(Role.GP, provider or random_gp_riziv()),
    )


async def recorded(published: ReadTopic, *, expected: int = 1) -> list[ConsultationRecorded]:
    events = [
        parse_envelope(record.value).data
        for record in await published(CONSULTATIONS, expected=expected)
    ]
    consultations = [event for event in events if isinstance(event, ConsultationRecorded)]
    assert len(consultations) == len(events)
    return consultations


async def test_c01_an_unknown_person_is_not_covered_and_gets_no_agreement(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()

    response = await consult(client, tokens, ssin, provider=gp)

    assert response.status_code == 201
    answer = response.json()
    assert answer["covered"] is False
    assert answer["coverages"] == []
    assert answer["decision_number"] is None
    assert answer["agreement_number"] is None
    assert answer["agreement_valid_until"] is None
    [event] = await recorded(published)
    assert event.consultation_id == answer["consultation_id"]
    assert (event.ssin, event.provider, event.covered) == (ssin, gp, False)
    assert event.agreement_number is None


async def test_c01_c02_a_published_decision_covers_the_person_with_an_agreement(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    decision = example_decision_version_published()
    gp = random_gp_riziv()
    await deliver(tmp_path, decision)
    asked: list[httpx.Response] = []

    async def ask() -> httpx.Response:
        asked.append(await consult(client, tokens, decision.ssin, provider=gp))
        return asked[-1]

    response = await eventually(ask, lambda answer: answer.json()["covered"])

    assert response.status_code == 201
    answer = response.json()
    assert answer["covered"] is True
    assert answer["decision_number"] == decision.decision_number
    assert answer["version"] == 1
    assert answer["ocmw"]["enterprise_number"] == decision.ocmw.enterprise_number
    assert answer["coverages"] == [cover.model_dump(mode="json") for cover in decision.coverages]
    assert answer["urgent_medical_aid_certificate_required"] is True
    assert len(answer["agreement_number"]) == 12
    assert answer["agreement_number"].isdigit()
    valid_until = datetime.now(UTC).date() + timedelta(days=30)
    assert answer["agreement_valid_until"] == valid_until.isoformat()
    events = await recorded(published, expected=len(asked))
    [event] = [event for event in events if event.consultation_id == answer["consultation_id"]]
    assert event.covered is True
    assert event.provider == gp
    assert event.agreement_number == answer["agreement_number"]
    assert (event.decision_number, event.version) == (decision.decision_number, 1)


async def test_c02_every_covered_consultation_gets_its_own_agreement_number(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    decision = example_decision_version_published()
    await deliver(tmp_path, decision)
    first = await eventually(
        lambda: consult(client, tokens, decision.ssin), lambda answer: answer.json()["covered"]
    )

    second = await consult(client, tokens, decision.ssin)

    assert second.json()["covered"] is True
    assert second.json()["agreement_number"] != first.json()["agreement_number"]
    assert second.json()["consultation_id"] != first.json()["consultation_id"]


async def test_c02_an_agreement_number_already_given_is_drawn_again(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = example_decision_version_published()
    await deliver(tmp_path, decision)
    first = await eventually(
        lambda: consult(client, tokens, decision.ssin), lambda answer: answer.json()["covered"]
    )
    draws = iter([first.json()["agreement_number"], "123456789012"])
    monkeypatch.setattr(consultation_service, "new_agreement_number", lambda: next(draws))

    second = await consult(client, tokens, decision.ssin)

    assert second.status_code == 201
    assert second.json()["agreement_number"] == "123456789012"


async def test_c01_a_suspension_from_the_registry_ends_the_coverage(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    active = example_decision_version_published()
    suspended = revised(active, version=2, status="suspended", change_kind="suspended")
    await deliver(tmp_path, active)
    await eventually(
        lambda: consult(client, tokens, active.ssin), lambda answer: answer.json()["covered"]
    )

    await deliver(tmp_path, suspended)
    response = await eventually(
        lambda: consult(client, tokens, active.ssin), lambda answer: not answer.json()["covered"]
    )

    assert response.json()["covered"] is False
    assert response.json()["agreement_number"] is None


async def test_c03_a_hospital_may_consult(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    response = await consult(client, tokens, random_ssin(), provider=random_hospital_number())

    assert response.status_code == 201


async def test_c03_a_dentist_may_not_consult_and_nothing_is_recorded(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic
) -> None:
    refused = await consult(client, tokens, random_ssin(), provider=random_dentist_riziv())
    gp = random_gp_riziv()
    allowed = await consult(client, tokens, random_ssin(), provider=gp)

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["rule"] == "C-03"
    assert allowed.status_code == 201
    # The GP's consultation comes after the refused one: had that been recorded, it would show.
    assert [event.provider for event in await recorded(published)] == [gp]


async def test_only_gp_software_may_consult(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/consultations",
        json={"ssin": random_ssin(), "date": CARE_DAY},
        headers=tokens.headers(Role.OCMW, "0212345678"),
    )
    anonymous = await client.post(
        "/v1/consultations", json={"ssin": random_ssin(), "date": CARE_DAY}
    )

    assert response.status_code == 403
    assert anonymous.status_code == 401


async def test_an_invalid_ssin_is_refused(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    response = await consult(client, tokens, "85041200100")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ssin"
