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
