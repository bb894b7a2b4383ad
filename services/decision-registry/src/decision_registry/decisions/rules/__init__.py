"""Decision rules D-01..D-15, pure: no session, no clock (`today` is passed in).

Grouped by theme; every function carries its rule id in its name.
"""

from decision_registry.decisions.rules.comments import (
    MedicalVocabulary,
    check_comment_d15,
    medical_words_in_d15,
)
from decision_registry.decisions.rules.coverage import (
    check_coverage_shape,
    check_hospital_pairing_d06,
    check_principle_decision_d02,
    check_urgent_aid_duration_d10,
    is_principle_decision_d02,
)
from decision_registry.decisions.rules.findings import (
    RuleFinding,
    error,
    settle_findings_d13,
    warning,
)
from decision_registry.decisions.rules.lifecycle import (
    MutationEffect,
    Operation,
    PendingMutation,
    check_death_window_d07,
    check_expected_version_d01,
    check_extension_d09,
    check_insurability_d11,
    check_reactivation_d08,
    check_reactivation_d11,
    check_stop_date_d07,
    check_stop_date_d08,
    check_stop_with_pending_d08,
    extended_coverages_d09,
    mutation_effect_d08,
    next_version_d01,
    settle_pending_on_stop_d08,
    several_pending_d08,
    status_after_d08,
    stopped_coverages,
)
from decision_registry.decisions.rules.ownership import check_ownership_d14, hide_unless_owner_d14
from decision_registry.decisions.rules.refund import (
    RefundAssessment,
    RefundPolicy,
    RefundSituation,
    assess_refund_d12,
    parse_policy_d12,
    situation_of_d12,
)
from decision_registry.decisions.rules.retroactivity import (
    check_backdating_d04,
    check_care_start_d05,
    check_retroactive_narrowing_d03,
    effective_from_d03,
    first_widened_day_d03,
    state_pays_for_care_d05,
)

__all__ = [
    "MedicalVocabulary",
    "MutationEffect",
    "Operation",
    "PendingMutation",
    "RefundAssessment",
    "RefundPolicy",
    "RefundSituation",
    "RuleFinding",
    "assess_refund_d12",
    "check_backdating_d04",
    "check_care_start_d05",
    "check_comment_d15",
    "check_coverage_shape",
    "check_death_window_d07",
    "check_expected_version_d01",
    "check_extension_d09",
    "check_hospital_pairing_d06",
    "check_insurability_d11",
    "check_ownership_d14",
    "check_principle_decision_d02",
    "check_reactivation_d08",
    "check_reactivation_d11",
    "check_retroactive_narrowing_d03",
    "check_stop_date_d07",
    "check_stop_date_d08",
    "check_stop_with_pending_d08",
    "check_urgent_aid_duration_d10",
    "effective_from_d03",
    "error",
    "extended_coverages_d09",
    "first_widened_day_d03",
    "hide_unless_owner_d14",
    "is_principle_decision_d02",
    "medical_words_in_d15",
    "mutation_effect_d08",
    "next_version_d01",
    "parse_policy_d12",
    "settle_findings_d13",
    "settle_pending_on_stop_d08",
    "several_pending_d08",
    "situation_of_d12",
    "state_pays_for_care_d05",
    "status_after_d08",
    "stopped_coverages",
    "warning",
]
