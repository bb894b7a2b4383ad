"""Every event payload, one module per aggregate family."""

from mediprima_contracts.events.certificates import CertificateRegistered, CertificateWithdrawn
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import (
    InvoiceAdjudicated,
    InvoiceLinesCancelled,
    InvoiceLinesCredited,
    InvoicePaid,
    InvoiceSubmitted,
)
from mediprima_contracts.events.pricing import InvoicePriced
from mediprima_contracts.events.register_mutations import RegisterMutationReported
from mediprima_contracts.events.settlements import SettlementClosed

__all__ = [
    "CertificateRegistered",
    "CertificateWithdrawn",
    "ConsultationRecorded",
    "DecisionVersionPublished",
    "InvoiceAdjudicated",
    "InvoiceLinesCancelled",
    "InvoiceLinesCredited",
    "InvoicePaid",
    "InvoicePriced",
    "InvoiceSubmitted",
    "RegisterMutationReported",
    "SettlementClosed",
]
