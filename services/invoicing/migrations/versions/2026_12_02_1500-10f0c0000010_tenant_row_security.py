"""tenant row security on PostgreSQL: an invoice is its provider's (and the operators')

Revision ID: 10f0c0000010
Revises: 10f0c0000009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit import rowsecurity
from servicekit.auth import Role

revision: str = "10f0c0000010"
down_revision: str | None = "10f0c0000009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rowsecurity.enable_v1("invoices", {Role.GP: "provider"})


def downgrade() -> None:
    rowsecurity.disable_v1("invoices")
