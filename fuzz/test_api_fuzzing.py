"""Schemathesis against the five services' OpenAPI documents, in process (see fuzz/harness.py).

Zero server errors, and every answer inside the document: its status codes, content types,
headers and body schemas (every `date-time` with its offset included). Seeded and bounded, so a
failure reproduces and the run stays short.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.harness import Findings, fuzz_operation, fuzzed_service
from servicekit.registry import service_names

EXAMPLES_PER_MODE = 6


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
