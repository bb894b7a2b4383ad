from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_domain.certificates import Certificate
from tariffing.certificates.models import CertificateView


async def certificates_in_force(
    session: AsyncSession, numbers: Collection[str]
) -> list[Certificate]:
    """The person's certificates, filed under any of their numbers, not withdrawn (C-04)."""
    views = await session.scalars(
        select(CertificateView)
        .where(CertificateView.ssin.in_(sorted(numbers)), CertificateView.withdrawn.is_(False))
        .order_by(CertificateView.certificate_number)
    )
    return [
        Certificate(
            certificate_number=view.certificate_number,
            care_type=view.care_type,
            valid_from=view.valid_from,
            valid_until=view.valid_until,
            version=view.version,
        )
        for view in views
    ]
