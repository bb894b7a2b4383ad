"""Every operation of the five services documents request, response and problem examples that
its own schemas accept (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mediprima_contracts.refusals import SCHEMA_RULE, catalogue
from servicekit.auth import Role
from servicekit.errors import PROBLEM_JSON
from servicekit.registry import load_service, service_names
from servicekit.service import create_app
from servicekit.testing import TokenFactory, embedded_settings, running_service

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    workdir: Path = tmp_path_factory.mktemp("openapi")
    tokens = TokenFactory.create(workdir / "keys")
    built = {}
    for name in service_names():
        definition = load_service(name)
        app = create_app(definition, embedded_settings(definition, workdir, tokens))
        built[name] = app.openapi()
        assert app.openapi() is built[name]  # built once, not per request
    return built


def examples(documents: dict[str, dict[str, Any]]) -> list[tuple[str, str, Any, Any]]:
    """(where, what, schema, example) for every body the documents describe; example None
    where it is missing."""
    found = []
    for name, document in documents.items():
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if method not in METHODS:
                    continue
                where = f"{name} {method.upper()} {path}"
                for media_type, media in (
                    operation.get("requestBody", {}).get("content", {}).items()
                ):
                    found.append(
                        (where, f"request {media_type}", media["schema"], media.get("example"))
                    )
                for status, answer in operation["responses"].items():
                    for media_type, media in answer.get("content", {}).items():
                        if status.startswith("2") and not media_type.endswith("json"):
                            continue  # CSV, PDF, XML: not a JSON body
                        if "schema" in media:
                            found.append(
                                (
                                    where,
                                    f"{status} {media_type}",
                                    media["schema"],
                                    media.get("example"),
                                )
                            )
    return found


def test_every_body_and_problem_has_an_example(documents: dict[str, dict[str, Any]]) -> None:
    found = examples(documents)
    missing = [f"{where}: {what}" for where, what, _, example in found if example is None]
    assert not missing, "\n".join(missing)
    kinds = {what.split()[0] for where, what, _, _ in found}
    assert {"request", "200", "401", "403", "422", "429"} <= kinds


def test_every_example_validates_against_its_schema(documents: dict[str, dict[str, Any]]) -> None:
    invalid = []
    for name, document in documents.items():
        for where, what, schema, example in examples({name: document}):
            validator = jsonschema.Draft202012Validator(
                {**schema, "components": document["components"]},
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
            for error in validator.iter_errors(example):
                invalid.append(f"{where} {what}: {error.json_path}: {error.message[:120]}")
    assert not invalid, "\n".join(invalid)


def test_problem_examples_name_catalogued_codes_and_titles(
    documents: dict[str, dict[str, Any]],
) -> None:
    refusals = catalogue()
    problems = [
        (what, example)
        for where, what, _, example in examples(documents)
        if what.endswith(PROBLEM_JSON)
    ]
    assert len(problems) > 400
    for what, example in problems:
        assert example["status"] == int(what.split()[0])
        assert example["title"] == refusals.title(example["status"], "en")
        for item in example.get("errors", []):
            assert refusals.rule_of(item["code"]) == item["rule"]
    unauthorised = next(example for what, example in problems if what.startswith("401"))
    assert unauthorised["errors"][0] == {
        "rule": "API-02",
        "code": "auth.missing_token",
        "message": refusals.message("auth.missing_token", "en"),
    }


SENT = [
    ("decision-registry", "/v1/decisions", Role.OCMW, "0212344876"),
    ("consultation", "/v1/consultations", Role.GP, "10700187005"),
    ("invoicing", "/v1/invoices", Role.GP, "10700187005"),
]


@pytest.mark.parametrize(("service", "path", "role", "identity"), SENT)
async def test_a_request_example_passes_schema_validation(
    tmp_path: Path, service: str, path: str, role: Role, identity: str
) -> None:
    """A client that copies the documented example is not refused for its shape (API-01)."""
    definition = load_service(service)
    tokens = TokenFactory.create(tmp_path / "keys")
    settings = embedded_settings(definition, tmp_path, tokens, rate_limits=False)
    async with running_service(definition, settings) as client:
        document = (await client.get("/openapi.json")).json()
        content = document["paths"][path]["post"]["requestBody"]["content"]
        example = content["application/json"]["example"]
        headers = tokens.headers(role, identity) | {"Idempotency-Key": "example-1"}
        answer = await client.post(path, json=example, headers=headers)
    rules = [item.get("rule") for item in answer.json().get("errors", [])]
    assert SCHEMA_RULE not in rules, answer.text
    assert answer.status_code != 422 or rules, answer.text
