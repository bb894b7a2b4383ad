"""Schemathesis against the five services' OpenAPI documents, in process (see fuzz/harness.py).

Zero server errors, and every answer inside the document: its status codes, content types,
headers and body schemas (every `date-time` with its offset included). Seeded and bounded, so a
failure reproduces and the run stays short.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fuzz.harness import (
    IDENTITIES,
    Findings,
    fuzz_after_creating,
    fuzz_operation,
    fuzz_stateful,
    fuzzed_service,
)
from mediprima_contracts.testing import decision_request_body
from servicekit.auth import Role
from servicekit.registry import service_names

# Bounded for `make test`; MEDIPRIMA_FUZZ_EXAMPLES=200 digs deeper by hand (same seed).
EXAMPLES_PER_MODE = int(os.environ.get("MEDIPRIMA_FUZZ_EXAMPLES", "12"))


@pytest.mark.parametrize("name", service_names())
def test_every_operation_answers_inside_its_openapi_document_and_never_a_server_error(
    name: str, tmp_path: Path
) -> None:
    findings = Findings()
    with fuzzed_service(name, tmp_path) as service:
        for operation, roles in service.operations():
            fuzz_operation(service, operation, roles, findings, examples=EXAMPLES_PER_MODE)

    assert findings.report() == ""
    assert findings.calls > 20


def test_invoices_submitted_then_read_and_withdrawn_along_the_links_stay_in_the_contract(
    tmp_path: Path,
) -> None:
    findings = Findings()
    with fuzzed_service("invoicing", tmp_path) as service:
        answered = fuzz_stateful(
            service, findings, prefer=Role.GP, scenarios=20, steps=5, paths=r"^/v1/invoices"
        )

    assert findings.report() == ""
    assert 202 in answered["POST /v1/invoices"]
    assert 200 in answered["GET /v1/invoices/{invoice_id}"]  # the submitted invoice, read back


def test_a_created_decision_changed_along_the_links_stays_in_the_contract(
    tmp_path: Path,
) -> None:
    ocmw = IDENTITIES[Role.OCMW]
    body = decision_request_body(today=datetime.now(UTC).date(), ocmw=ocmw)
    findings = Findings()
    with fuzzed_service("decision-registry", tmp_path) as service:
        answered = fuzz_after_creating(
            service,
            findings,
            role=Role.OCMW,
            create=("POST", "/v1/decisions", body),
            examples=EXAMPLES_PER_MODE,
        )

    assert findings.report() == ""
    assert set(answered) == {  # every link of the created decision was followed
        "GET /v1/decisions/{decision_number}",
        "GET /v1/decisions/{decision_number}/versions",
        "PUT /v1/decisions/{decision_number}",
        "POST /v1/decisions/{decision_number}/extend",
        "POST /v1/decisions/{decision_number}/suspend",
        "POST /v1/decisions/{decision_number}/stop",
    }
    assert answered["GET /v1/decisions/{decision_number}"] == {200}
    assert 404 not in answered["PUT /v1/decisions/{decision_number}"]  # it reached the decision
    assert any(200 in statuses for label, statuses in answered.items() if "POST" in label)
