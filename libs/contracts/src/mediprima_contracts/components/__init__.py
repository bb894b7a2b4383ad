"""Reusable pydantic models shared by the events and the services' API schemas.

Named after OpenAPI's `components/schemas`; not to be confused with a service's ORM models.
"""

from mediprima_contracts.components.coverage import CareType, Coverage, OcmwPays, PaymentLevel
from mediprima_contracts.components.decision_terms import (
    Category,
    ChangeKind,
    DecisionStatus,
    InsurabilityExtensionReason,
)
from mediprima_contracts.components.finding import Finding
from mediprima_contracts.components.insurability import InsurabilityExtension
from mediprima_contracts.components.invoice_lines import (
    AdjudicationStatus,
    InvoiceLine,
    PaidLine,
    PricedLine,
    Verdict,
    ensure_unique_line_numbers,
)
from mediprima_contracts.components.ocmw import Language, Ocmw
from mediprima_contracts.components.person import Person, PersonName, Sex
from mediprima_contracts.components.register_mutation import MutationKind
from mediprima_contracts.components.settlement_totals import SettlementTotals
from mediprima_contracts.components.state_share import (
    SharePercentages,
    StatePercentage,
    StateShare,
)

__all__ = [
    "AdjudicationStatus",
    "CareType",
    "Category",
    "ChangeKind",
    "Coverage",
    "DecisionStatus",
    "Finding",
    "InsurabilityExtension",
    "InsurabilityExtensionReason",
    "InvoiceLine",
    "Language",
    "MutationKind",
    "Ocmw",
    "OcmwPays",
    "PaidLine",
    "PaymentLevel",
    "Person",
    "PersonName",
    "PricedLine",
    "SettlementTotals",
    "Sex",
    "SharePercentages",
    "StatePercentage",
    "StateShare",
    "Verdict",
    "ensure_unique_line_numbers",
]
