"""tenant row security on PostgreSQL: a consultation is its provider's and the covering OCMW's;
an exemption declaration its OCMW's and the provider's it names (I-06 reads it on each
consultation); a certificate read the covering OCMW's

Revision ID: c0c0c0000009
Revises: c0c0c0000008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit import rowsecurity
from servicekit.auth import Role

revision: str = "c0c0c0000009"
down_revision: str | None = "c0c0c0000008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rowsecurity.enable_v1("consultations", {Role.GP: "provider", Role.OCMW: "ocmw"})
    rowsecurity.enable_v1("billing_exemptions", {Role.GP: "provider", Role.OCMW: "ocmw"})
    rowsecurity.enable_v1("certificate_reads", {Role.OCMW: "ocmw"})


def downgrade() -> None:
    rowsecurity.disable_v1("certificate_reads")
    rowsecurity.disable_v1("billing_exemptions")
    rowsecurity.disable_v1("consultations")
