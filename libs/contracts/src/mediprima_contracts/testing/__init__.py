"""Test helpers for every team: random valid identifiers and example events.

Hypothesis strategies live in `mediprima_contracts.testing.strategies` (imported on demand,
since hypothesis is a dev dependency only).
"""

from mediprima_contracts.testing.errors import error_code
from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_certificate_withdrawn,
    example_consultation_recorded,
    example_coverage,
    example_decision_version_published,
    example_events,
    example_invoice_adjudicated,
    example_invoice_lines_cancelled,
    example_invoice_lines_credited,
    example_invoice_paid,
    example_invoice_priced,
    example_invoice_submitted,
    example_priced_lines,
    example_register_mutation_reported,
    example_settlement_closed,
)
from mediprima_contracts.testing.factories import (
    random_bis_number,
    random_dentist_riziv,
    random_enterprise_number,
    random_gp_riziv,
    random_hospital_number,
    random_nis_code,
    random_riziv,
    random_ssin,
)
from mediprima_contracts.testing.numbers import (
    make_enterprise_number,
    make_hospital_number,
    make_riziv,
    make_ssin,
)
from mediprima_contracts.testing.requests import decision_request_body

__all__ = [
    "decision_request_body",
    "error_code",
    "example_certificate_registered",
    "example_certificate_withdrawn",
    "example_consultation_recorded",
    "example_coverage",
    "example_decision_version_published",
    "example_events",
    "example_invoice_adjudicated",
    "example_invoice_lines_cancelled",
    "example_invoice_lines_credited",
    "example_invoice_paid",
    "example_invoice_priced",
    "example_invoice_submitted",
    "example_priced_lines",
    "example_register_mutation_reported",
    "example_settlement_closed",
    "make_enterprise_number",
    "make_hospital_number",
    "make_riziv",
    "make_ssin",
    "random_bis_number",
    "random_dentist_riziv",
    "random_enterprise_number",
    "random_gp_riziv",
    "random_hospital_number",
    "random_nis_code",
    "random_riziv",
    "random_ssin",
]
