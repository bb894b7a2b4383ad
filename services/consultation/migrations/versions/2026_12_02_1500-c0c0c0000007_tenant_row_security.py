"""tenant row security on PostgreSQL: a consultation is its provider's; an exemption
declaration its OCMW's and the provider's it names (I-06 reads it on each consultation)

Revision ID: c0c0c0000007
Revises: c0c0c0000006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit import rowsecurity
from servicekit.auth import Role

revision: str = "c0c0c0000007"
down_revision: str | None = "c0c0c0000006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rowsecurity.enable_v1("consultations", {Role.GP: "provider"})
    rowsecurity.enable_v1("billing_exemptions", {Role.GP: "provider", Role.OCMW: "ocmw"})


def downgrade() -> None:
    rowsecurity.disable_v1("billing_exemptions")
    rowsecurity.disable_v1("consultations")
