"""B3: the monthly settlement of a million paid lines on PostgreSQL, as an operator runs it
(`mediprima settlements run YYYY-MM`, its own process: aggregation, every file written and
hashed, reconciliation), timed and its peak memory read; against the database's floor: the
same lines, sorted as the files are, through `COPY … TO`, also in a process of its own."""

from __future__ import annotations

import json
import sys

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from bench.context import Run
from bench.paths import MEDIPRIMA, ROOT
from bench.reporting.figures import Baseline, Figure, Target
from bench.stack.child import Finished, run_measured
from bench.stack.neighbours import watched
from bench.stack.processes import clean_environment
from bench.stack.setups import migrate_database
from servicekit.db import Database
from servicekit.testing import postgres_database
from settlement.ledger.models import LedgerLine
from settlement.settlements.repository import LINE_COLUMNS, LINE_ORDER

MONTH = "2025-10"
SECONDS_TARGET = Target("≤ 2 x the COPY floor", "at_most", 2.0, of_baseline=True)
MEMORY_TARGET = Target("≤ 300 MB", "at_most", 300.0)

# Four lines per invoice, each invoice for one OCMW and one person, as
# settlement.ledger.synthetic makes them on SQLite, here with PostgreSQL's generate_series.
_PAID_LINES = """
INSERT INTO ledger_lines (
    month, kind, booked_at, booking_reference, payment_reference, invoice_id, line_number,
    provider, ssin, person_id, ocmw, decision_number, version, urgent_medical_aid, code,
    date_of_care, state_share, ocmw_share, patient_share)
SELECT :month, 'paid', timestamptz '2025-10-15 10:00:00+00', 'pay-' || (i / 4), 'pay-' || (i / 4),
    'inv-' || (i / 4), i % 4 + 1, '1' || lpad((i % 300)::text, 10, '0'),
    lpad((85000000000 + (i / 4) % 40000)::text, 11, '0'),
    'P' || md5(((i / 4) % 40000)::text),
    lpad((200000000 + (i / 4) % :ocmws)::text, 10, '0'), lpad((i % 5000)::text, 6, '0'),
    1 + i % 3, i % 2 = 1, '101076', date '2025-10-01', 1000 + i % 997, 100 + i % 89, i % 7
FROM generate_series(0, :last) AS i
"""


async def measure(run: Run) -> None:
    sizes = run.sizes
    async with postgres_database("bench_settlement") as url:
        await migrate_database("settlement", url)
        await _insert_paid_lines(url, lines=sizes.b3_lines, ocmws=sizes.b3_ocmws)
        floor, floor_seconds = await _copy_floor(run, url)
        async with watched() as others:
            settled = await _settle(run, url)
    run.record(
        Figure(
            key="B3.postgres",
            benchmark="B3",
            setup="postgres",
            what=f"settlement run of {sizes.b3_lines:,} paid lines, {sizes.b3_ocmws} OCMWs: "
            "files and reconciliation",
            value=settled.seconds,
            unit="s",
            baseline=Baseline("sorted COPY … TO of the same lines", floor_seconds, "s"),
            target=SECONDS_TARGET,
            details={
                "copy_process_seconds": round(floor.seconds, 2),
                "other_processes_cpu_percent": others.percent,
            },
        ),
        Figure(
            key="B3.postgres.memory",
            benchmark="B3",
            setup="postgres",
            what="peak RSS of the settlement process",
            value=settled.peak_rss_mb,
            unit="MB",
            baseline=Baseline("peak RSS of the COPY process", floor.peak_rss_mb, "MB"),
            target=MEMORY_TARGET,
        ),
    )


async def _insert_paid_lines(url: str, *, lines: int, ocmws: int) -> None:
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(
                text(_PAID_LINES), {"month": MONTH, "last": lines - 1, "ocmws": ocmws}
            )
        async with database.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE ledger_lines"))
    finally:
        await database.dispose()


async def _copy_floor(run: Run, url: str) -> tuple[Finished, float]:
    query = (
        select(*LINE_COLUMNS)
        .where(LedgerLine.month == MONTH)
        .order_by(*LINE_ORDER)
        .compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})  # type: ignore[no-untyped-call]
    )
    finished = await run_measured(
        [
            sys.executable,
            "-m",
            "bench.baselines.copy_out",
            f"--dsn={make_url(url).set(drivername='postgresql').render_as_string(False)}",
            f"--query={query}",
        ],
        env=clean_environment(),
        log_path=run.logs / "b3-copy.log",
        cwd=ROOT,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"COPY baseline failed:\n{finished.output}")
    return finished, float(json.loads(finished.output.strip().splitlines()[-1])["seconds"])


async def _settle(run: Run, url: str) -> Finished:
    env = {
        **clean_environment(),
        **run.tokens.service_env(),
        "MEDIPRIMA_MODE": "production",
        "MEDIPRIMA_DATABASE_URL": url,
        "MEDIPRIMA_VAR_DIR": str(run.workdir),
    }
    finished = await run_measured(
        [str(MEDIPRIMA), "settlements", "run", MONTH],
        env=env,
        log_path=run.logs / "b3-settlement.log",
        flame_graph=run.profiles / "b3-settlement.svg" if run.profiles else None,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"settlement run failed:\n{finished.output[-3000:]}")
    return finished
