"""Where an invoice and each of its lines stand; stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class InvoiceStatus(StrEnum):
    """received → accepted | partially_accepted | rejected (I-03) → paid (I-05); cancelled when
    the provider cancelled every line."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"
    PAID = "paid"
    CANCELLED = "cancelled"


class LineStatus(StrEnum):
    """pending until priced, then accepted or rejected (I-03); credited when the payer took an
    accepted line back; cancelled when the provider withdrew it before payment."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CREDITED = "credited"
    CANCELLED = "cancelled"


class PaymentRunStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
