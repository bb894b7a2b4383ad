"""D-13: a finding either blocks the change (nothing is stored) or is a warning kept with it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mediprima_contracts.components import Finding
from servicekit.errors import ProblemItem, Unprocessable


@dataclass(frozen=True)
class RuleFinding:
    """One rule's verdict on a requested change."""

    rule: str
    code: str
    message: str
    field: str | None = None
    blocking: bool = True


def error(rule: str, code: str, message: str, field: str | None = None) -> RuleFinding:
    return RuleFinding(rule=rule, code=code, message=message, field=field, blocking=True)


def warning(rule: str, code: str, message: str, field: str | None = None) -> RuleFinding:
    return RuleFinding(rule=rule, code=code, message=message, field=field, blocking=False)


def settle_findings_d13(findings: Iterable[RuleFinding]) -> list[Finding]:
    """D-13: any blocking error refuses the whole change (422, every error listed); else the
    warnings are returned so that they are stored with the version and reported to the caller."""
    collected = list(findings)
    errors = [finding for finding in collected if finding.blocking]
    if errors:
        raise Unprocessable(
            f"{len(errors)} rule(s) refuse this change",
            [
                ProblemItem(rule=item.rule, code=item.code, message=item.message, field=item.field)
                for item in errors
            ],
        )
    return [
        Finding(rule=item.rule, code=item.code, message=item.message)
        for item in collected
        if not item.blocking
    ]
