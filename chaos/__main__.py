"""`make chaos`: the platform on its own Kafka and PostgreSQL, every service its own process,
a seeded load of decisions, consultations and invoices, services killed with SIGKILL and
started again, the broker and the database restarted; then the checks (invariants.py). Prints
the faults, the counts and the totals; exits 1 on any difference.

    python -m chaos [--seed N] [--invoices N] [--kills-per-service N]
    (CHAOS_SEED and CHAOS_INVOICES give the defaults)
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import random
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.stack.setups import migrate_all, postgres_kafka
from bench.tokens import Tokens
from chaos import invariants, operator, tables
from chaos.client import RetryingClient
from chaos.faults import FaultInjector, fault_plan
from chaos.generator import Generator
from chaos.infra import ROOT, Infra, private_infra
from chaos.plan import load_plan
from chaos.platform import Platform, running_platform
from chaos.report import Report
from servicekit.auth import Role
from servicekit.testing import POSTGRES_ENV

DEFAULT_INVOICES = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument("--seed", type=int, default=_env_int("CHAOS_SEED"))
    parser.add_argument(
        "--invoices", type=int, default=_env_int("CHAOS_INVOICES") or DEFAULT_INVOICES
    )
    parser.add_argument("--kills-per-service", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    workdir = args.workdir or ROOT / ".var" / "chaos" / f"{stamp}-seed{seed}"
    report = Report(plan=load_plan(seed, args.invoices))
    started = time.monotonic()
    try:
        asyncio.run(run(report, workdir, args.kills_per_service))
    except Exception:
        report.differences["run"] = [traceback.format_exc()]
    report.seconds["total"] = time.monotonic() - started
    text = "\n".join(report.lines())
    print(text, flush=True)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "report.txt").write_text(text + "\n")
    print(f"logs and report in {workdir}", flush=True)
    return 0 if report.passed else 1


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


async def run(report: Report, workdir: Path, kills_per_service: int) -> None:
    loop = asyncio.get_running_loop()
    tokens = Tokens.create(workdir / "keys")
    mark = loop.time()
    async with private_infra(workdir / "infra") as infra:
        report.seconds["servers"] = loop.time() - mark
        async with postgres_kafka(
            workdir, kafka_bootstrap_servers=infra.kafka_bootstrap_servers
        ) as setup:
            await migrate_all(setup)
            mark = loop.time()
            async with running_platform(setup, tokens, workdir / "logs") as platform:
                report.seconds["platform start"] = loop.time() - mark
                client = RetryingClient(platform.urls)
                try:
                    await _storm(report, platform, infra, client, tokens, kills_per_service)
                    await _check(report, platform, client, tokens, infra.env[POSTGRES_ENV])
                finally:
                    report.retried = client.retried
                    await client.close()


async def _storm(
    report: Report,
    platform: Platform,
    infra: Infra,
    client: RetryingClient,
    tokens: Tokens,
    kills_per_service: int,
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    # one token per caller for the run (signing one per request costs the generator's CPU)
    headers = functools.cache(tokens.headers)
    generator = Generator(report.plan, client, headers, datetime.now(UTC).date())
    faults = fault_plan(report.plan.seed, report.plan.invoices, kills_per_service)
    injector = FaultInjector(faults, platform, infra, generator.sent, started)
    report.faults, report.sent = injector.log, generator.sent
    report.operator = operator.OperatorLog()
    as_operator = tokens.headers(Role.OPERATOR, "chaos-operator")
    watchdog = asyncio.create_task(injector.watch())
    try:
        async with asyncio.TaskGroup() as load:
            runs = load.create_task(operator.cli_payment_runs(platform, report.operator))
            faults_done = load.create_task(injector.run())
            await generator.run()
            report.seconds["load"] = loop.time() - started
            await faults_done
            runs.cancel()
        report.seconds["faults"] = loop.time() - started
        mark = loop.time()
        await platform.wait_ready()
        await operator.wait_for_verdicts(client, as_operator)
        await operator.pay_everything(client, as_operator, report.operator)
        await operator.wait_until_quiet(platform)
        report.seconds["drain"] = loop.time() - mark
    finally:
        watchdog.cancel()


async def _check(
    report: Report,
    platform: Platform,
    client: RetryingClient,
    tokens: Tokens,
    admin_url: str,
) -> None:
    assert report.sent is not None
    sent, plan = report.sent, report.plan
    as_operator = tokens.headers(Role.OPERATOR, "chaos-operator")
    invoices = await operator.all_invoices(client, as_operator)
    for invoice in invoices:
        report.line_statuses.update(line["status"] for line in invoice["lines"])
    found, expected = invariants.check_invoices(sent, invoices)
    report.differences["invoices (one final status each, lines as sent)"] = found
    report.expected = expected
    payments = [
        payment
        for gp in sorted(plan.gps)
        for payment in await operator.payments_of(client, as_operator, gp)
    ]
    report.differences["payments (every accepted line paid exactly once)"] = (
        invariants.check_payments(sent, invoices, payments)
    )
    for month in sorted(expected.months):
        report.settlements[month] = await operator.settle(client, as_operator, month)
    report.differences["settlement (the month's totals to the cent)"] = invariants.check_settlement(
        expected, report.settlements
    )
    urls = platform.setup.database_urls
    registry = await tables.versions(admin_url, urls["decision-registry"], tables.REGISTRY)
    read_models = {
        name: await tables.versions(admin_url, urls[name], tables.READ_MODEL)
        for name in ("consultation", "tariffing")
    }
    ledger = {
        (str(number), int(version))
        for number, version in await tables.rows(admin_url, urls["settlement"], tables.LEDGER)
    }
    directory = {
        str(row[0]) for row in await tables.rows(admin_url, urls["settlement"], tables.DIRECTORY)
    }
    report.differences["dead letters (no event given up on)"] = [
        f"{count} events on {topic}"
        for topic, count in (await tables.dead_letters(platform.setup)).items()
    ]
    report.differences["read models (equal to the registry's versions)"] = (
        invariants.check_read_models(sent, registry, read_models, ledger, directory, plan.ocmws)
    )


if __name__ == "__main__":
    sys.exit(main())
