from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tariffing.certificates.models import CertificateView
from tariffing.pricing.checks import Certificate


async def certificates_in_force(session: AsyncSession, ssin: str) -> list[Certificate]:
    """The person's certificates that were not withdrawn (C-04)."""
    views = await session.scalars(
        select(CertificateView)
        .where(CertificateView.ssin == ssin, CertificateView.withdrawn.is_(False))
        .order_by(CertificateView.certificate_number)
    )
    return [
        Certificate(
            certificate_number=view.certificate_number,
            care_type=view.care_type,
            valid_from=view.valid_from,
            valid_until=view.valid_until,
        )
        for view in views
    ]
