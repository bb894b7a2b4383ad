"""Operator import of a tariff file: every row validated, all or nothing (T-05)."""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.errors import ProblemItem
from tariffing.nomenclature import repository
from tariffing.nomenclature.csv_format import TariffRow, parse_tariff_csv
from tariffing.nomenclature.models import Tariff
from tariffing.nomenclature.rules import plan_import_t05
from tariffing.nomenclature.schemas import ImportReport, TariffImportRejected

log = structlog.get_logger()


async def import_tariffs(session: AsyncSession, *, text: str) -> ImportReport:
    """Store a CSV file's tariff periods, or raise `TariffImportRejected` and store nothing."""
    rows, problems = parse_tariff_csv(text)
    stored = await repository.all_terms(session, {row.terms.code for row in rows})
    plan = plan_import_t05([row.terms for row in rows], [tariff.terms() for tariff in stored])
    for terms, why in plan.overlaps:
        row = _row_for(rows, terms)
        problems.append(
            ProblemItem(
                rule="T-05",
                code="tariff.period_overlap",
                message=f"row {row.row}: {terms.code} from {terms.valid_from} {why}",
                field=f"rows.{row.row}.valid_from",
            )
        )
    if problems:
        log.info("tariffing.tariff_import.rejected", problems=len(problems))
        raise TariffImportRejected(sorted(problems, key=_row_order), skipped=plan.skipped)
    by_key = {(tariff.code, tariff.valid_from): tariff for tariff in stored}
    for terms in plan.closing:
        by_key[(terms.code, terms.valid_from)].valid_until = terms.valid_until
    descriptions = {(row.terms.code, row.terms.valid_from): row.description for row in rows}
    await repository.add_all(
        session,
        [
            Tariff.from_terms(terms, descriptions[(terms.code, terms.valid_from)])
            for terms in plan.new
        ],
    )
    imported = len(plan.new) + len(plan.closing)
    log.info("tariffing.tariff_import.done", imported=imported, skipped=plan.skipped)
    return ImportReport(imported=imported, skipped=plan.skipped)


def _row_for(rows: list[TariffRow], terms: object) -> TariffRow:
    return next(row for row in reversed(rows) if row.terms is terms)


def _row_order(item: ProblemItem) -> tuple[int, str]:
    parts = (item.field or "").split(".")
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0, item.code)
