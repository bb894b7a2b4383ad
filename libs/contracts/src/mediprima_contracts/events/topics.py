"""One topic per aggregate family, keyed by the aggregate id."""

from __future__ import annotations

from typing import Final

DECISIONS: Final = "mediprima.decisions"
CONSULTATIONS: Final = "mediprima.consultations"
CERTIFICATES: Final = "mediprima.certificates"
INVOICES: Final = "mediprima.invoices"
PRICING: Final = "mediprima.pricing"
SETTLEMENTS: Final = "mediprima.settlements"
REGISTER_MUTATIONS: Final = "mediprima.register-mutations"

ALL_TOPICS: Final = (
    DECISIONS,
    CONSULTATIONS,
    CERTIFICATES,
    INVOICES,
    PRICING,
    SETTLEMENTS,
    REGISTER_MUTATIONS,
)
