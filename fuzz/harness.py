"""Schemathesis against one service's OpenAPI document, in process, as each role it allows.

The service runs on SQLite and the SQL event log, its lifespan (consumers, relay) started by
schemathesis' ASGI client on its own event loop. Every operation gets a bounded, seeded number of
generated requests, valid ones (positive) and invalid ones (negative), each sent with a token of a
role the operation allows. A failure is recorded, not raised, so one run lists every operation
that breaks its contract.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis import checks as core_checks
from schemathesis.python import asgi
from schemathesis.specs.openapi import checks as openapi_checks

from e2e.test_authorisation_matrix import declared_roles
from mediprima_contracts.testing import strategies as values
from mediprima_contracts.values import EnterpriseNumber, NomenclatureCode, RizivNumber, Ssin
from servicekit.auth import Role
from servicekit.registry import load_service
from servicekit.service import create_app
from servicekit.testing import TokenFactory, embedded_settings, migrate

# Who each role is: valid numbers, so the services get as far as their rules.
IDENTITIES = {
    Role.GP: "10700187005",
    Role.OCMW: "0212345668",
    Role.OPERATOR: "operator-1",
    Role.REGISTER: "register-1",
}

# The pattern says "11 digits", the check digits say which: generate valid numbers as well.
FORMATS: dict[str, tuple[str, st.SearchStrategy[str]]] = {
    Ssin.json_pattern: ("mediprima-ssin", values.ssins().map(str)),
    RizivNumber.json_pattern: ("mediprima-riziv", values.riziv_numbers().map(str)),
    EnterpriseNumber.json_pattern: ("mediprima-enterprise", values.enterprise_numbers().map(str)),
    NomenclatureCode.json_pattern: (
        "mediprima-code",
        st.sampled_from(["101076", "102771", "101010"]) | st.from_regex(r"\A[0-9]{6}\Z"),
    ),
}

CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


def with_formats(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a format on every string whose pattern has a generator of valid values."""
    marked = copy.deepcopy(document)

    def visit(node: object) -> None:
        if isinstance(node, dict):
            known = FORMATS.get(node.get("pattern", ""))
            if known and node.get("type") == "string" and "format" not in node:
                node["format"] = known[0]
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(marked)
    return marked


for _pattern, (_format, _strategy) in FORMATS.items():
    schemathesis.openapi.format(_format, _strategy)


@dataclass
class Findings:
    """What broke, by operation; empty when every response kept the contract."""

    by_operation: dict[str, set[str]] = field(default_factory=dict)
    calls: int = 0

    def add(self, operation: str, finding: str) -> None:
        self.by_operation.setdefault(operation, set()).add(finding)

    def report(self) -> str:
        return "\n".join(
            f"{operation}:\n  " + "\n  ".join(sorted(found))
            for operation, found in sorted(self.by_operation.items())
        )


@dataclass
class FuzzedService:
    name: str
    schema: Any
    tokens: TokenFactory
    _headers: dict[Role, dict[str, str]] = field(default_factory=dict)

    def headers(self, role: Role) -> dict[str, str]:
        if role not in self._headers:  # minting signs with RSA: once per role
            self._headers[role] = self.tokens.headers(role, IDENTITIES[role])
        return self._headers[role]

    def operations(self) -> Iterator[tuple[Any, list[Role]]]:
        """Every protected operation with the roles it allows."""
        roles = declared_roles()
        for result in self.schema.get_all_operations():
            operation = result.ok()
            allowed = roles.get((self.name, operation.method.upper(), operation.path))
            if allowed:
                yield operation, sorted(allowed)


@contextmanager
def fuzzed_service(name: str, workdir: Path) -> Iterator[FuzzedService]:
    """The service migrated and started in process, with its OpenAPI document loaded."""
    definition = load_service(name)
    tokens = TokenFactory.create(workdir / "keys")
    service_settings = embedded_settings(definition, workdir, tokens, rate_limits=False)
    asyncio.run(migrate(definition, service_settings.database_url))
    app = create_app(definition, service_settings)
    schema = schemathesis.openapi.from_dict(with_formats(app.openapi()))
    schema.app = app
    try:
        yield FuzzedService(name, schema, tokens)
    finally:
        asgi.shutdown_lifespans()


def fuzz_operation(
    service: FuzzedService,
    operation: Any,
    roles: list[Role],
    findings: Findings,
    *,
    examples: int,
) -> None:
    """`examples` valid and `examples` invalid requests to one operation, seeded."""
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _fuzz(service, operation, roles, findings, mode=mode, examples=examples)


def _fuzz(
    service: FuzzedService,
    operation: Any,
    roles: list[Role],
    findings: Findings,
    *,
    mode: GenerationMode,
    examples: int,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy(generation_mode=mode), role=st.sampled_from(roles))
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, role: Role) -> None:
        headers = service.headers(role)
        findings.calls += 1
        _authorise(case, headers)
        try:
            response = case.call()
        except Exception as error:  # the app raised: the client would have had a 500
            findings.add(label, f"{mode} 500 {type(error).__name__}: {error}"[:400])
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseException as failure:  # FailureGroup: recorded, the run goes on
            findings.add(label, f"{mode} {response.status_code} {_titles(failure)}")

    try:
        run()
    except Exception as error:  # generation itself failed (e.g. an unsatisfiable schema)
        findings.add(label, f"{mode} could not generate: {error!r}"[:400])


def _authorise(case: Any, headers: dict[str, str]) -> None:
    """The role's token replaces whatever authorization the generator made up."""
    case.headers = {
        **{k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"},
        **headers,
    }


def _titles(failure: BaseException) -> str:
    parts = getattr(failure, "exceptions", None) or [failure]
    return "; ".join(
        f"{getattr(part, 'title', type(part).__name__)}: {getattr(part, 'message', part)}"[:300]
        for part in parts
    ).replace("\n", " ")


def fuzz_stateful(
    service: FuzzedService,
    findings: Findings,
    *,
    prefer: Role,
    scenarios: int,
    steps: int,
    paths: str | None = None,
) -> dict[str, set[int]]:
    """Seeded call sequences that follow the document's links (create, then read or change what
    was created), as `prefer` wherever it may call, else a role the operation allows; only the
    operations whose path matches `paths` when given, so that a walk stays on its resource
    however many other operations the service gains.
    Returns the statuses each operation answered, so a test can see the links were walked."""
    roles = declared_roles()
    answered: dict[str, set[int]] = {}

    def role_for(operation: Any) -> Role:
        allowed = sorted(roles.get((service.name, operation.method.upper(), operation.path), ()))
        return prefer if prefer in allowed else allowed[0]

    schema = service.schema if paths is None else service.schema.include(path_regex=paths)

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            _authorise(case, service.headers(role_for(case.operation)))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": service.headers(role_for(case.operation))}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            label = f"{case.operation.method.upper()} {case.operation.path}"
            findings.calls += 1
            answered.setdefault(label, set()).add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS, headers=kwargs.get("headers"))
            except BaseException as failure:  # FailureGroup: recorded, the run goes on
                findings.add(label, f"stateful {response.status_code} {_titles(failure)}")

    try:
        Scenario.run(
            settings=settings(
                max_examples=scenarios,
                stateful_step_count=steps,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
        )
    except Exception as error:  # the app raised: the client would have had a 500
        findings.add("stateful", f"500 {type(error).__name__}: {error}"[:400])
    return answered


def fuzz_after_creating(
    service: FuzzedService,
    findings: Findings,
    *,
    role: Role,
    create: tuple[str, str, dict[str, Any]],
    examples: int,
) -> dict[str, set[int]]:
    """Create one object with a valid request, then fuzz every operation the answer's OpenAPI
    links lead to, on that object: its id in the path (and its version in `If-Match`).
    Returns the statuses each linked operation answered."""
    method, path, body = create
    with asgi.get_client(service.schema.app) as client:
        created = client.request(method, path, json=body, headers=service.headers(role))
    assert created.status_code in (200, 201, 202), created.text
    answer = created.json()
    documented = service.schema.raw_schema["paths"][path][method.lower()]["responses"]
    targets = {
        target["operationRef"]
        for target in documented[str(created.status_code)].get("links", {}).values()
    }
    answered: dict[str, set[int]] = {}
    for result in service.schema.get_all_operations():
        operation = result.ok()
        pointer = operation.path.replace("~", "~0").replace("/", "~1")
        if f"#/paths/{pointer}/{operation.method.lower()}" not in targets:
            continue
        names = {parameter.name for parameter in operation.path_parameters}
        headers = {"If-Match": str(answer["version"])} if "version" in answer else {}
        strategy = operation.as_strategy(
            path_parameters={name: answer[name] for name in names}, headers=headers
        )
        label = f"{operation.method.upper()} {operation.path}"
        _fuzz_linked(service, findings, role, label, strategy, examples, answered)
    return answered


def _fuzz_linked(
    service: FuzzedService,
    findings: Findings,
    role: Role,
    label: str,
    strategy: Any,
    examples: int,
    answered: dict[str, set[int]],
) -> None:
    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        _authorise(case, service.headers(role))
        findings.calls += 1
        try:
            response = case.call()
        except Exception as error:  # the app raised: the client would have had a 500
            findings.add(label, f"linked 500 {type(error).__name__}: {error}"[:400])
            return
        answered.setdefault(label, set()).add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=case.headers)
        except BaseException as failure:  # FailureGroup: recorded, the run goes on
            findings.add(label, f"linked {response.status_code} {_titles(failure)}")

    run()
