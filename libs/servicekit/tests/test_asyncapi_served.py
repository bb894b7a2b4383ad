"""Every service serves the platform's AsyncAPI document next to its OpenAPI document."""

import json
from pathlib import Path

import pytest

from mediprima_contracts.asyncapi import DOCUMENT_PATH
from servicekit.registry import load_service, service_names
from servicekit.testing import TokenFactory, embedded_settings, running_service


@pytest.mark.parametrize("name", service_names())
async def test_each_service_serves_the_committed_asyncapi_document(
    name: str, tmp_path: Path, tokens: TokenFactory
) -> None:
    definition = load_service(name)
    settings = embedded_settings(definition, tmp_path, tokens)

    async with running_service(definition, settings) as client:
        served = await client.get("/asyncapi.json")
        openapi = await client.get("/openapi.json")

    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    assert served.json() == json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    assert openapi.status_code == 200
