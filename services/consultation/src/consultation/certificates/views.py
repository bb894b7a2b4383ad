"""Certificates as callers and events see them."""

from __future__ import annotations

from consultation.certificates.models import CertificateVersion, UrgentAidCertificate
from consultation.certificates.schemas import CertificateVersionView, CertificateView
from servicekit.errors import NotFound, ServiceError


def facts(certificate: UrgentAidCertificate) -> dict[str, object]:
    """What the latest version states, as the certificate events carry it."""
    return {
        "certificate_number": certificate.certificate_number,
        "ssin": certificate.ssin,
        "provider": certificate.provider,
        "care_type": certificate.care_type,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "version": certificate.version,
    }


def as_view(certificate: UrgentAidCertificate) -> CertificateView:
    return CertificateView.model_validate(
        {
            **facts(certificate),
            "registered_at": certificate.registered_at,
            "corrected_at": certificate.corrected_at,
            "relied_on": certificate.relied_on_at is not None,
            "withdrawn_at": certificate.withdrawn_at,
        }
    )


def as_version_view(author: str, version: CertificateVersion) -> CertificateVersionView:
    return CertificateVersionView.model_validate(
        {
            "certificate_number": version.certificate_number,
            "version": version.version,
            "ssin": version.ssin,
            "provider": author,
            "care_type": version.care_type,
            "valid_from": version.valid_from,
            "valid_until": version.valid_until,
            "filed_at": version.filed_at,
        }
    )


def unknown(certificate_number: str) -> ServiceError:
    """404: no such certificate, or none the caller may read."""
    return NotFound.for_rule("C-04", "certificate.unknown", f"No certificate {certificate_number}")
