"""Settlement rules S-01 … S-04, pure: sums in whole cents, no session, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from mediprima_contracts.values import YearMonth
from servicekit.errors import Conflict, ProblemItem, Unprocessable

SHARES = ("state_share", "ocmw_share", "patient_share")


@dataclass(frozen=True, slots=True)
class Sums:
    """What a set of ledger lines adds up to, in cents (credits count negative)."""

    state_share: int = 0
    ocmw_share: int = 0
    patient_share: int = 0
    lines: int = 0
    invoices: int = 0

    @property
    def total(self) -> int:
        """S-04: state share + OCMW share + patient share."""
        return self.state_share + self.ocmw_share + self.patient_share

    def money_only(self) -> tuple[int, int, int, int]:
        return (self.state_share, self.ocmw_share, self.patient_share, self.lines)


def add_shares_and_lines(parts: Iterable[Sums]) -> Sums:
    """Shares and lines add up across groups; invoices do not (an invoice may span groups)."""
    state = ocmw = patient = lines = 0
    for part in parts:
        state += part.state_share
        ocmw += part.ocmw_share
        patient += part.patient_share
        lines += part.lines
    return Sums(state, ocmw, patient, lines, 0)


FIRST_MONTH = YearMonth("2025-09")
"""The first month the platform can have paid care in: OCMWs register their decisions on it
from 1 September 2025 (I-06, the 2025 circular), so no line can be paid before."""


def refuse_month_outside_platform_s01(*, month: YearMonth, current: YearMonth) -> None:
    """S-01: a settlement holds the care paid in its month, so the month lies between the
    platform's first month and the current one: a later month has nothing paid yet, and closing
    it would freeze a month before its payments are made (S-04)."""
    if not FIRST_MONTH <= month <= current:
        raise Unprocessable.for_rule(
            "S-01",
            "settlement.month_out_of_range",
            f"A settlement month lies from {FIRST_MONTH} to the current month {current}",
            field="month",
        )


def refuse_closed_month_s04(*, status: str, month: str) -> None:
    """S-04: a closed month never changes; corrections go into a later month."""
    if status == "closed":
        raise Conflict.for_rule("S-04", "settlement.closed", f"The settlement of {month} is closed")


@dataclass(frozen=True)
class FileSums:
    """What one produced file says it holds: its total, and its totals per group."""

    name: str
    total: Sums
    groups: Mapping[str, Sums]


def reconcile_s04(
    *,
    ledger: Sums,
    ledger_per_ocmw: Mapping[str, Sums],
    funder_files: Iterable[FileSums],
    statements: Mapping[str, FileSums],
) -> list[str]:
    """S-04: the ledger's month = every funder file = the sum of the OCMW statements, to the
    cent. Each funder file's per-OCMW totals match the ledger's; each statement's total matches
    its OCMW in the ledger, and its totals per provider and per person add up to it. Returns
    every difference found; none means the run reconciles."""
    differences: list[str] = []

    def compare(what: str, found: Sums, expected: Sums, *, invoices: bool = True) -> None:
        left = found if invoices else found.money_only()
        right = expected if invoices else expected.money_only()
        if left != right:
            differences.append(f"{what}: {_describe(found)} ≠ ledger {_describe(expected)}")

    compare(
        "ledger per OCMW", add_shares_and_lines(ledger_per_ocmw.values()), ledger, invoices=False
    )
    for funder in funder_files:
        compare(funder.name, funder.total, ledger)
        if set(funder.groups) != set(ledger_per_ocmw):
            differences.append(f"{funder.name}: OCMWs differ from the ledger's")
        for ocmw, sums in funder.groups.items():
            compare(f"{funder.name} OCMW {ocmw}", sums, ledger_per_ocmw.get(ocmw, Sums()))
    for ocmw, statement in statements.items():
        expected = ledger_per_ocmw.get(ocmw, Sums())
        compare(statement.name, statement.total, expected)
        for group, group_sums in _split_groups(statement.groups).items():
            compare(f"{statement.name} per {group}", group_sums, expected, invoices=False)
    if set(statements) != set(ledger_per_ocmw):
        differences.append("OCMW statements: OCMWs differ from the ledger's")
    all_statements = add_shares_and_lines(statement.total for statement in statements.values())
    compare("all OCMW statements", all_statements, ledger, invoices=False)
    return differences


def ensure_reconciled_s04(month: str, differences: list[str]) -> None:
    """S-04: a run that does not reconcile fails loudly and changes nothing."""
    if differences:
        raise Conflict(
            f"The settlement of {month} does not reconcile: nothing was stored or closed",
            [
                ProblemItem(rule="S-04", code="settlement.not_reconciled", message=difference)
                for difference in differences
            ],
        )


def _split_groups(groups: Mapping[str, Sums]) -> dict[str, Sums]:
    """Statement groups are keyed `provider:<riziv>` and `person:<person id, or the ssin where
    none>`; sum each kind."""
    by_kind: dict[str, list[Sums]] = {}
    for key, sums in groups.items():
        by_kind.setdefault(key.split(":", 1)[0], []).append(sums)
    return {kind: add_shares_and_lines(parts) for kind, parts in by_kind.items()}


def _describe(sums: Sums) -> str:
    return ", ".join(f"{field.name}={getattr(sums, field.name)}" for field in fields(sums))


def statement_language_s02(
    language: str | None, *, name_nl: str | None, name_fr: str | None
) -> str:
    """S-02: each OCMW reads its statement in its own language: Dutch or French. German-speaking
    OCMWs lie in Wallonia and get French; without a known language, the language of the name."""
    if language in ("nl", "fr"):
        return language
    if language is None and name_nl and not name_fr:
        return "nl"
    return "fr"


def statement_name_s02(
    language: str, *, enterprise_number: str, name_nl: str | None, name_fr: str | None
) -> str:
    """The OCMW's name in the statement's language, else its other name, else its number."""
    preferred = (name_nl, name_fr) if language == "nl" else (name_fr, name_nl)
    return next((name for name in preferred if name), f"OCMW/CPAS {enterprise_number}")
