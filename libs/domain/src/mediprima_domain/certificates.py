"""C-04: care for a person entitled to urgent medical aid only is paid with a certificate.

Circular 2025, 1: the payer checks "het bestaan van een door een arts opgesteld attest van
dringende medische hulp voor personen die uitsluitend gerechtigd zijn op dringende medische hulp".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mediprima_contracts.components import Finding
from mediprima_domain.coverage.resolution import CoverageAnswer

CERTIFICATE_MISSING = Finding(
    rule="C-04",
    code="certificate.missing",
    message="No urgent-medical-aid certificate for the care on that date",
)


@dataclass(frozen=True)
class Certificate:
    """An urgent-medical-aid certificate that was not withdrawn."""

    certificate_number: str
    care_type: str
    valid_from: date
    valid_until: date | None
    version: int = 1

    def covers(self, care_type: str, on: date) -> bool:
        until = self.valid_until or date.max
        return self.care_type == care_type and self.valid_from <= on <= until


def certificate_for_c04(
    answer: CoverageAnswer, certificates: Sequence[Certificate], care_type: str, on: date
) -> tuple[Certificate | None, Finding | None]:
    """C-04: where the answer requires one, the certificate for the care on that date (the one
    the line relies on), or the refusal."""
    if not answer.certificate_required:
        return None, None
    for certificate in sorted(certificates, key=lambda item: item.certificate_number):
        if certificate.covers(care_type, on):
            return certificate, None
    return None, CERTIFICATE_MISSING
