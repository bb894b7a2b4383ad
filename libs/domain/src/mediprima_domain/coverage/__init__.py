"""Who covers a person for a care on a date (C-01, T-06, I-02), and what "narrower" means (D-03)."""

from mediprima_domain.coverage.generosity import (
    cover_at_least_as_generous,
    state_terms_at_least_as_generous,
)
from mediprima_domain.coverage.history import DecisionHistory, VersionRef
from mediprima_domain.coverage.resolution import (
    DEATH_WINDOW_DAYS,
    NO_DECISION,
    SUSPENDED,
    CareQuestion,
    CoverageAnswer,
    competent_ocmw_d14,
    resolve_coverage,
)
from mediprima_domain.coverage.settings import (
    HOSPITAL_CARE,
    CareSetting,
    setting_of,
    state_percentages,
)

__all__ = [
    "DEATH_WINDOW_DAYS",
    "HOSPITAL_CARE",
    "NO_DECISION",
    "SUSPENDED",
    "CareQuestion",
    "CareSetting",
    "CoverageAnswer",
    "DecisionHistory",
    "VersionRef",
    "competent_ocmw_d14",
    "cover_at_least_as_generous",
    "resolve_coverage",
    "setting_of",
    "state_percentages",
    "state_terms_at_least_as_generous",
]
