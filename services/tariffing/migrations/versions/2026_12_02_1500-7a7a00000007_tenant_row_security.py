"""tenant row security on PostgreSQL: a person read is the covering OCMW's (and the operators')

Revision ID: 7a7a00000007
Revises: 7a7a00000006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from servicekit import rowsecurity
from servicekit.auth import Role

revision: str = "7a7a00000007"
down_revision: str | None = "7a7a00000006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rowsecurity.enable_v1("person_reads", {Role.OCMW: "ocmw"})


def downgrade() -> None:
    rowsecurity.disable_v1("person_reads")
