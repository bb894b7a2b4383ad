"""Consultation rule C-03 (who may consult, who reads the trail), pure.

C-01 (the coverage answer) and C-02 (the guarantee) are decided once for every service in
`mediprima_domain`; this service asks them.
"""

from __future__ import annotations

from mediprima_contracts.values import InvalidValue, RizivNumber
from servicekit.errors import Forbidden


def identified_provider_c03(subject: str) -> RizivNumber:
    """C-03: only identified providers consult: the token's subject is a valid RIZIV number."""
    try:
        return RizivNumber(subject)
    except InvalidValue as exc:
        raise Forbidden.for_rule(
            "C-03", "consultation.provider_unidentified", "The caller is not a known provider"
        ) from exc


def check_may_consult_c03(*, is_doctor: bool, is_hospital: bool) -> None:
    """C-03: in this phase doctors (profession 1) and hospitals (710/720) may consult."""
    if not (is_doctor or is_hospital):
        raise Forbidden.for_rule(
            "C-03", "consultation.provider_not_allowed", "Only doctors and hospitals may consult"
        )


def audit_provider_scope_c03(*, is_provider: bool, caller: str, provider: str | None) -> str | None:
    """C-03: a provider reads only its own consultations; operators (and an OCMW, about the
    people it covers) read any provider's."""
    if not is_provider:
        return provider
    if provider is not None and provider != caller:
        raise Forbidden.for_rule(
            "C-03",
            "consultation.other_provider",
            "A provider sees only its own consultations",
            field="provider",
        )
    return caller
