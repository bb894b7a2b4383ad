"""Keeps the certificates read model. Idempotent and order-independent: a withdrawal that
arrives before its registration is remembered, and the registration does not revive it."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.certificates import CertificateRegistered, CertificateWithdrawn
from tariffing.certificates.models import CertificateView


async def on_certificate_registered(session: AsyncSession, envelope: Envelope[Any]) -> None:
    await _keep(session, envelope.data, withdrawn=False)


async def on_certificate_withdrawn(session: AsyncSession, envelope: Envelope[Any]) -> None:
    await _keep(session, envelope.data, withdrawn=True)


async def _keep(
    session: AsyncSession,
    data: CertificateRegistered | CertificateWithdrawn,
    *,
    withdrawn: bool,
) -> None:
    view = await session.get(CertificateView, data.certificate_number)
    if view is None:
        view = CertificateView(
            certificate_number=data.certificate_number, withdrawn=withdrawn, version=data.version
        )
        session.add(view)
    elif data.version < view.version:
        # An older version arriving late does not undo a correction; a withdrawal still counts.
        view.withdrawn = view.withdrawn or withdrawn
        return
    view.version = data.version
    view.ssin = data.ssin
    view.provider = data.provider
    view.care_type = data.care_type
    view.valid_from = data.valid_from
    view.valid_until = data.valid_until
    view.withdrawn = view.withdrawn or withdrawn
