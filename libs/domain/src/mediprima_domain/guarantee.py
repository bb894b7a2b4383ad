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
    message="The agreement was given to another provider or person: priced on the decision in "
    "force on the date of care",
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


@dataclass(frozen=True)
class GuaranteeOnInvoice:
    """What an agreement number on an invoice line does (C-02).

    `refusal`: the number is unknown, the line is refused. `consulted`: the guarantee holds and
    binds that version. Otherwise the line is priced on the decision in force on the date of
    care, and `remark` says why the guarantee did not hold.
    """

    refusal: Finding | None = None
    consulted: VersionRef | None = None
    remark: Finding | None = None


def guarantee_on_invoice_c02(
    agreement_number: str | None,
    agreement: Agreement | None,
    *,
    ssin: str,
    person_id: str | None,
    provider: str | None,
    issued_on: date,
) -> GuaranteeOnInvoice:
    """C-02: an invoice issued within the 30 days of a consultation, by the provider who
    consulted, for the person consulted about, is paid on the coverage as consulted (manual 2.20:
    "de facturen die de zorgverstrekker in die 30 dagen uitschrijft, op basis van een dekking,
    zullen aanvaard worden door de HZIV"). The 30 days bound the day the invoice is issued, not
    the date of care. An unknown number is refused (I-05b: "payment commitment unknown"); a
    guarantee that does not hold falls back to the decision in force on the date of care."""
    if agreement_number is None:
        return GuaranteeOnInvoice()
    if agreement is None or agreement.agreement_number != agreement_number:
        return GuaranteeOnInvoice(refusal=AGREEMENT_UNKNOWN)
    same_person = (
        agreement.person_id == person_id
        if agreement.person_id and person_id
        else agreement.ssin == ssin
    )
    if not same_person or (provider is not None and agreement.provider != provider):
        return GuaranteeOnInvoice(remark=AGREEMENT_MISMATCH)
    if issued_on > agreement.valid_until:
        return GuaranteeOnInvoice(
            remark=Finding(
                rule="C-02",
                code="agreement.expired",
                message=f"The invoice was issued after the guarantee ended on "
                f"{agreement.valid_until}: priced on the decision in force on the date of care",
            )
        )
    return GuaranteeOnInvoice(consulted=agreement.consulted)
