"""The bundled SAMPLE tariff file (public GP figures, indexed yearly), loaded when empty."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tariffing.nomenclature import repository
from tariffing.nomenclature.models import Tariff

SAMPLE_FILE = Path(__file__).with_name("sample-tariffs.csv")


def read_sample() -> list[Tariff]:
    with SAMPLE_FILE.open(newline="") as handle:
        return [
            Tariff(
                code=row["code"],
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_until=date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
                fee=Decimal(row["fee"]),
                reimbursement=Decimal(row["reimbursement"]),
                reimbursement_preferential=Decimal(row["reimbursement_preferential"]),
                patient_share=Decimal(row["patient_share"]),
                provider_types=row["provider_types"],
                description=row["description"],
            )
            for row in csv.DictReader(handle)
        ]


async def load_sample_if_empty(session: AsyncSession) -> int:
    if await repository.count(session):
        return 0
    tariffs = read_sample()
    await repository.add_all(session, tariffs)
    return len(tariffs)
