from collections.abc import Collection

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_domain.certificates import Certificate
from servicekit import statements
from servicekit.db import table_of
from tariffing.certificates.models import CertificateView

_CERTIFICATES = table_of(CertificateView).c
_IN_FORCE_UNDER_NUMBERS = (
    select(
        _CERTIFICATES.certificate_number,
        _CERTIFICATES.care_type,
        _CERTIFICATES.valid_from,
        _CERTIFICATES.valid_until,
        _CERTIFICATES.version,
    )
    .where(
        _CERTIFICATES.ssin.in_(bindparam("numbers", expanding=True)),
        _CERTIFICATES.withdrawn.is_(False),
    )
    .order_by(_CERTIFICATES.certificate_number)
)


async def certificates_in_force(
    session: AsyncSession, numbers: Collection[str]
) -> list[Certificate]:
    """The person's certificates, filed under any of their numbers, not withdrawn (C-04)."""
    rows = await statements.run(session, _IN_FORCE_UNDER_NUMBERS, {"numbers": sorted(numbers)})
    return [
        Certificate(
            certificate_number=row.certificate_number,
            care_type=row.care_type,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            version=row.version,
        )
        for row in rows
    ]
