"""The bundled SAMPLE tariff file (public GP figures, indexed yearly), loaded when empty."""

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tariffing.nomenclature import repository
from tariffing.nomenclature.csv_format import parse_tariff_csv
from tariffing.nomenclature.models import Tariff

SAMPLE_FILE = Path(__file__).with_name("sample-tariffs.csv")


def read_sample() -> list[Tariff]:
    rows, problems = parse_tariff_csv(SAMPLE_FILE.read_text())
    if problems:
        raise ValueError(f"the bundled sample tariff file is invalid: {problems}")
    return [Tariff.from_terms(row.terms, row.description) for row in rows]


async def load_sample_if_empty(session: AsyncSession) -> int:
    if await repository.count(session):
        return 0
    tariffs = read_sample()
    await repository.add_all(session, tariffs)
    return len(tariffs)
