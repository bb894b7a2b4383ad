"""C-02: the payment guarantee a consultation gives, behind its agreement number.

Manual 2.20: "Deze garantie is echter beperkt tot 30 dagen. De dertig dagen beginnen te lopen
vanaf het moment dat de zorgverstrekker een medische kaart raadpleegt."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mediprima_contracts.components import Finding
from mediprima_domain.coverage.history import VersionRef

GUARANTEE_DAYS = 30


@dataclass(frozen=True)
class Agreement:
    """A payment guarantee from a recorded, covered consultation."""

    agreement_number: str
    provider: str
    ssin: str
    decision_number: str
    version: int
    valid_until: date
    person_id: str | None = None

    @property
    def consulted(self) -> VersionRef:
        return VersionRef(self.decision_number, self.version)


AGREEMENT_UNKNOWN = Finding(
    rule="C-02", code="agreement.unknown", message="Unknown agreement number"
)
AGREEMENT_MISMATCH = Finding(
    rule="C-02",
    code="agreement.mismatch",
    message="The agreement was given to another provider or person",
)
GUARANTEED_VERSION = Finding(
    rule="C-02",
    code="agreement.guaranteed_version",
    message="Priced on the decision version guaranteed by the agreement number",
)
"""The remark on a line paid on the consulted version rather than the current one."""
AGREEMENT_NOT_COVERED = Finding(
    rule="C-02", code="agreement.not_covered", message="The consultation gave no guarantee"
)


def agreement_valid_until_c02(consulted_on: date) -> date:
    """C-02: the guarantee lasts 30 days from the consultation."""
    return consulted_on + timedelta(days=GUARANTEE_DAYS)


def is_guaranteed_c02(*, covered: bool, valid_until: date | None, today: date) -> bool:
    """C-02: a covered consultation binds until its agreement's last day, included."""
    return covered and valid_until is not None and today <= valid_until


def guarantee_expired_c02(valid_until: date | None) -> Finding:
    if valid_until is None:
        return AGREEMENT_NOT_COVERED
    return Finding(
        rule="C-02", code="agreement.expired", message=f"The guarantee ended on {valid_until}"
    )


def check_agreement_c02(
    agreement_number: str | None,
    agreement: Agreement | None,
    *,
    ssin: str,
    person_id: str | None,
    provider: str | None,
    on: date,
) -> Finding | None:
    """C-02 / I-05b: an agreement number on an invoice must be known, given to this provider for
    this person (under any of the person's numbers), and in time."""
    if agreement_number is None:
        return None
    if agreement is None or agreement.agreement_number != agreement_number:
        return AGREEMENT_UNKNOWN
    same_person = (
        agreement.person_id == person_id
        if agreement.person_id and person_id
        else agreement.ssin == ssin
    )
    if not same_person or (provider is not None and agreement.provider != provider):
        return AGREEMENT_MISMATCH
    if on > agreement.valid_until:
        return Finding(
            rule="C-02", code="agreement.expired", message="The agreement had expired on that date"
        )
    return None
