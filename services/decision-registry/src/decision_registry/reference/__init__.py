"""Reference data kept as files: the refund-code policy tables (D-12) and the medical word list
(D-15). Read once, on first use; the rules receive them as arguments."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

from decision_registry.decisions.rules import MedicalVocabulary, RefundPolicy, parse_policy_d12

HERE = Path(__file__).resolve().parent
CURRENT_REFUND_POLICY = "2026.1"


def refund_policy_path(version: str) -> Path:
    return HERE / f"refund-policy-{version}.csv"


@cache
def refund_policy(version: str = CURRENT_REFUND_POLICY) -> RefundPolicy:
    """The policy table of `version` (a file per version; old versions stay for the record)."""
    with refund_policy_path(version).open(newline="", encoding="utf-8") as handle:
        return parse_policy_d12(version, csv.DictReader(handle))


@cache
def medical_vocabulary() -> MedicalVocabulary:
    document = json.loads((HERE / "medical-words.json").read_text(encoding="utf-8"))
    return MedicalVocabulary.from_terms(
        term for language in ("nl", "fr", "en") for term in document[language]
    )
