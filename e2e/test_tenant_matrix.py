"""Another tenant's object, for every operation that names one: an OCMW or a provider asking
about what belongs to another OCMW or provider learns nothing.

The operations come from the services' own routes (`declared_roles`), so a new route that names
an object is in the matrix the day it is added: its path parameter must be one the walk below
creates an object for, or the test fails. Tenant A walks an invoice from decision to settlement
(and files a certificate and a hand-over); tenant B, of the same role, calls every operation on
A's objects, with the request body the operation documents as its example.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from e2e.platform import Backend, running_platform
from e2e.test_authorisation_matrix import declared_roles
from e2e.walkthrough import Actors, expect_status, walk_invoice_through
from mediprima_contracts.testing import random_enterprise_number, random_gp_riziv
from servicekit.auth import Role
from servicekit.registry import service_names
from servicekit.testing import TokenFactory

TENANT_ROLES = (Role.GP, Role.OCMW)
NOT_OBJECTS = {"kind", "code"}
"""Path parameters that name no tenant's object: a worklist's kind, a nomenclature code."""

DESIGNED: dict[tuple[str, str, Role], tuple[int, str]] = {
    ("GET", "/v1/urgent-aid-certificates/{certificate_number}", Role.GP): (
        200,
        "C-04: any doctor reads a certificate; the read is recorded for the covering OCMW",
    ),
    ("GET", "/v1/urgent-aid-certificates/{certificate_number}/versions", Role.GP): (
        200,
        "C-04: as above",
    ),
    ("PUT", "/v1/urgent-aid-certificates/{certificate_number}", Role.GP): (
        403,
        "C-04: only the doctor who filed a certificate corrects it (others may read it: no secret)",
    ),
    ("DELETE", "/v1/urgent-aid-certificates/{certificate_number}", Role.GP): (
        403,
        "C-04: only the doctor who filed a certificate withdraws it",
    ),
    ("GET", "/v1/providers/{riziv}/payments", Role.GP): (
        403,
        "I-05: a provider asks for its own payments by its own number",
    ),
    ("GET", "/v1/settlements/{settlement_id}/ocmw/{enterprise_number}", Role.OCMW): (
        403,
        "S-02: an OCMW fetches only its own statement",
    ),
}
"""Answers other than 404, each decided by the rule it names."""


def example_body(document: dict[str, Any], method: str, path: str) -> Any:
    """The operation's documented request example, or None when it takes no body."""
    operation = document["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    examples = schema.get("examples") or [{}]
    return examples[0]


@pytest.mark.e2e
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sql", id="sqlite+sql-log"),
        pytest.param("kafka", id="kafka+postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
    ],
)
async def test_another_tenants_object_is_not_found_by_any_operation(
    backend: Backend, tmp_path: Path
) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    tenant_b = {
        Role.OCMW: tokens.headers(Role.OCMW, random_enterprise_number()),
        Role.GP: tokens.headers(Role.GP, random_gp_riziv()),
    }
    actors = Actors.fresh(tokens.headers)
    unlimited = {name: {"rate_limits": False} for name in service_names()}
    answers: list[str] = []
    checked = 0

    async with running_platform(backend, tmp_path, tokens, unlimited) as clients:
        walk = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())
        certificate = await expect_status(
            clients["consultation"].post(
                "/v1/urgent-aid-certificates",
                json={
                    "ssin": actors.ssin,
                    "care_type": "general_medicine",
                    "valid_from": "2025-02-01",
                    "valid_until": "2025-04-30",
                },
                headers=actors.gp,
            ),
            201,
        )
        hand_over = await expect_status(
            clients["decision-registry"].post(
                f"/v1/decisions/{walk.decision_number}/hand-over",
                json={
                    "to": {"enterprise_number": "0207437468", "municipality_nis": "11002"},
                    "reason": "The person lives in Antwerpen since October",
                },
                headers=actors.ocmw,
            ),
            201,
        )
        objects: Mapping[str, str] = {
            "decision_number": walk.decision_number,
            "version": "1",
            "hand_over_id": hand_over["hand_over_id"],
            "consultation_id": walk.consultation_id,
            "agreement_number": walk.agreement_number,
            "certificate_number": certificate["certificate_number"],
            "invoice_id": walk.invoice_id,
            "riziv": actors.gp_riziv,
            "settlement_id": walk.settlement["settlement_id"],
            "enterprise_number": actors.ocmw_enterprise_number,
        }
        documents = {
            name: (await client.get("/openapi.json")).json() for name, client in clients.items()
        }
        for (name, method, path), allowed in sorted(declared_roles().items()):
            parameters = set(re.findall(r"\{([^}]+)\}", path)) - NOT_OBJECTS
            tenants = sorted(set(allowed or ()) & set(TENANT_ROLES))
            if not parameters or not tenants:
                continue
            unknown = parameters - objects.keys()
            assert not unknown, f"{method} {path}: no object made for {unknown}"
            url = re.sub(r"\{([^}]+)\}", lambda m: objects.get(m[1], m[0]), path)
            body = example_body(documents[name], method, path)
            for role in tenants:
                headers = {
                    **tenant_b[role],
                    "If-Match": '"1"',
                    "Idempotency-Key": str(uuid.uuid4()),
                }
                answer = await clients[name].request(method, url, json=body, headers=headers)
                checked += 1
                expected = DESIGNED.get((method, path, role), (404, ""))[0]
                if answer.status_code != expected:
                    answers.append(f"{method} {path} as another {role}: {answer.text[:200]}")

    assert answers == [], "\n".join(answers)
    assert checked > 20
