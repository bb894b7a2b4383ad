"""The closed vocabularies of a decision."""

from __future__ import annotations

from enum import StrEnum


class DecisionStatus(StrEnum):
    """Where a decision stands; a suspended one can only be reactivated or stopped (D-08)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    STOPPED = "stopped"


class Category(StrEnum):
    """The person's situation that brings them into MediPrima."""

    NO_LEGAL_RESIDENCE = "no_legal_residence"
    REGULARISATION_9TER = "regularisation_9ter"
    ASYLUM_SEEKER = "asylum_seeker"
    STRUCK_OFF = "struck_off"
    INSURED_NEEDY = "insured_needy"


class ChangeKind(StrEnum):
    """What produced a decision version."""

    CREATED = "created"
    REPLACED = "replaced"
    EXTENDED = "extended"
    SUSPENDED = "suspended"
    REACTIVATED = "reactivated"
    STOPPED = "stopped"
    MUTATION = "mutation"
    HANDED_OVER = "handed_over"
    """The file passed to the OCMW competent for the person (D-14)."""


class InsurabilityExtensionReason(StrEnum):
    """Why affiliation to a health fund takes longer than the 3-month transition (D-11)."""

    DOCUMENTS_PENDING = "documents_pending"
    """Documents the fund needs (residence, identity, employment) are still awaited."""
    FUND_PROCESSING = "fund_processing"
    """The person applied; the fund has not decided yet."""
    OTHER = "other"
    """Another well-founded reason, told in the explanation."""
