"""The refusal catalogue: every code the code base answers with has its rule and its English,
Dutch and French texts; a new code without them fails here."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediprima_contracts.refusals import LANGUAGES, PYDANTIC_ERROR_TYPES, Texts, catalogue
from mediprima_contracts.values.validated_string import ValidatedString

ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$|^code_unknown$")
RULE = re.compile(r"^(API-[0-9]{2}|[A-Z]-[0-9]{2}[a-z]?)$")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "msg"}


def _source_files() -> Iterator[Path]:
    for top in ("libs", "services"):
        for path in (ROOT / top).rglob("src/**/*.py"):
            # The console answers with pages, not problem codes (its texts: its own catalogues).
            if "testing" not in path.parts and "console" not in path.parts:
                yield path


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _codes_in(tree: ast.AST) -> Iterator[str]:
    """Codes where the code base names one: a `code=` argument; the first dotted code beside a
    rule id or a sentence in one call (`for_rule`, `Finding`, `InvalidValue`, `error(...)`...;
    a later one is a field path); the members of an enum of codes."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not _is_log_call(node):
            keyword_codes = [_text(k.value) for k in node.keywords if k.arg in ("code", "default")]
            yield from (code for code in keyword_codes if code and CODE.match(code))
            arguments = [*node.args, *(k.value for k in node.keywords)]
            present = [text for arg in arguments if (text := _text(arg))]
            sentence = any(isinstance(arg, ast.JoinedStr) for arg in arguments)
            positional = [text for arg in node.args if (text := _text(arg)) and CODE.match(text)]
            if positional and (sentence or any(RULE.match(t) or " " in t for t in present)):
                yield positional[0]
        if isinstance(node, ast.ClassDef) and any(_name(base) == "StrEnum" for base in node.bases):
            for statement in node.body:
                value = _text(statement.value) if isinstance(statement, ast.Assign) else None
                if value and CODE.match(value):
                    yield value


def _is_log_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and node.func.attr in LOG_METHODS


def _name(node: ast.expr) -> str | None:
    return getattr(node, "id", None) or getattr(node, "attr", None)


def _value_type_codes() -> Iterator[str]:
    pending = list(ValidatedString.__subclasses__())
    while pending:
        value_type = pending.pop()
        pending += value_type.__subclasses__()
        yield f"{value_type.code_prefix}.type"


def codes_in_the_code_base() -> set[str]:
    found = {code for path in _source_files() for code in _codes_in(ast.parse(path.read_text()))}
    return found | set(_value_type_codes())


def test_the_scan_finds_the_codes_of_every_service_and_library() -> None:
    found = codes_in_the_code_base()
    expected = {
        "decision.backdated_too_far",  # decision-registry, a rule helper
        "cover.absent",  # libs/domain
        "certificate.unbounded",  # consultation
        "code.unknown",  # tariffing
        "line.duplicate",  # invoicing
        "settlement.closed",  # settlement
        "ssin.check_digits",  # contracts' value types
        "ssin.type",  # a value type's `{prefix}.type`
        "rate.too_many_per_caller",  # servicekit
        "billing.hospital",  # an enum of codes
    }
    assert expected <= found
    assert "outbox.published" not in found  # a log event, not a code


def test_every_code_the_code_base_answers_with_is_in_the_catalogue() -> None:
    known = set(catalogue().codes) | catalogue().stated.codes
    missing = sorted(codes_in_the_code_base() - known)
    assert missing == [], f"add these codes to refusals/catalogue.toml: {missing}"


def _every_text() -> Iterator[tuple[str, Texts]]:
    book = catalogue()
    yield from ((f"rule {rule}", texts) for rule, texts in book.rules.items())
    yield from ((f"title {status}", texts) for status, texts in book.titles.items())
    yield from ((f"schema {kind}", texts) for kind, texts in book.schema_.items())
    yield from ((f"phrase {name}", texts) for name, texts in book.phrases.items())
    yield from ((f"code {code}", texts) for code, texts in book.codes.items())


@pytest.mark.parametrize(("name", "texts"), list(_every_text()), ids=lambda value: str(value))
def test_every_text_is_in_dutch_and_french_and_translated(name: str, texts: Texts) -> None:
    assert texts.nl.strip(), name
    assert texts.fr.strip(), name
    assert texts.nl != texts.en, name
    assert texts.fr != texts.en, name
    assert texts.nl != texts.fr, name


def test_every_code_names_a_rule_of_domain_md_or_of_the_platform() -> None:
    book = catalogue()
    for code, refusal in book.codes.items():
        assert RULE.match(refusal.rule), code
        if refusal.rule.startswith("API-"):
            assert refusal.rule in book.rules, code


def test_every_schema_validation_error_has_a_text_and_the_rule_api_01() -> None:
    book = catalogue()
    for kind in PYDANTIC_ERROR_TYPES:
        assert book.rule_of(kind) == "API-01"
        for language in LANGUAGES:
            assert book.message(kind, language)
    assert set(book.schema_) - {"default"} <= PYDANTIC_ERROR_TYPES


def test_a_stated_reason_keeps_the_callers_words() -> None:
    assert catalogue().message("invoice.lines_cancelled", "nl") is None
    assert catalogue().message("no.such_code", "fr") is None
    assert catalogue().message("settlement.closed", "fr") == "Le décompte de ce mois est clôturé"
