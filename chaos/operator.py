"""The operator's part: payment runs with `mediprima payments run` while the load flows (on top
of the ones invoicing starts on its own schedule), then, once every invoice has its verdict,
runs until nothing is left to pay, and the month's settlement."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.paths import MEDIPRIMA
from bench.stack.quiet import backlog_of
from chaos.client import RetryingClient, UnexpectedAnswerError
from chaos.platform import Platform

CLI_RUN_EVERY_SECONDS = 10.0
VERDICT_PATIENCE_SECONDS = 600.0
PAGE = 200
UNPAID = ("accepted", "partially_accepted")


@dataclass
class OperatorLog:
    cli_runs: Counter[int] = field(default_factory=Counter)  # exit code → runs
    api_runs: int = 0
    paid_by_final_runs: int = 0


async def cli_payment_runs(platform: Platform, log: OperatorLog) -> None:
    """Until cancelled: `mediprima payments run` against invoicing's database, as an operator
    or a cron job runs it. A run cut off by a fault is simply run again later."""
    invoicing = platform.services["invoicing"]
    while True:
        await asyncio.sleep(CLI_RUN_EVERY_SECONDS)
        process = await asyncio.create_subprocess_exec(
            str(MEDIPRIMA),
            "payments",
            "run",
            env=invoicing.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            log.cli_runs[await process.wait()] += 1
        except asyncio.CancelledError:
            process.kill()
            await process.wait()
            raise


async def wait_for_verdicts(client: RetryingClient, operator: dict[str, str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + VERDICT_PATIENCE_SECONDS
    while await _first(client, operator, "received"):
        if loop.time() > deadline:
            raise UnexpectedAnswerError(
                f"invoices still without a verdict after {VERDICT_PATIENCE_SECONDS:.0f}s "
                "(look for them on the dead-letter topics)"
            )
        await asyncio.sleep(0.5)


async def pay_everything(
    client: RetryingClient, operator: dict[str, str], log: OperatorLog
) -> None:
    """Payment runs through the API until one pays nothing and no invoice waits to be paid."""
    while True:
        run = await client.expect(200, "invoicing", "POST", "/v1/payment-runs", headers=operator)
        log.api_runs += 1
        log.paid_by_final_runs += int(run["paid_invoices"])
        if run["paid_invoices"] == 0 and not any(
            [await _first(client, operator, status) for status in UNPAID]
        ):
            return


async def wait_until_quiet(platform: Platform) -> float:
    """Every outbox published and every consumer group at the end of its topics."""
    async with backlog_of(platform.setup) as backlog:
        return await backlog.wait_until_empty()


async def settle(client: RetryingClient, operator: dict[str, str], month: str) -> dict[str, Any]:
    started = await client.expect(
        202, "settlement", "POST", "/v1/settlements", json={"month": month}, headers=operator
    )
    return await client.expect(
        200, "settlement", "GET", f"/v1/settlements/{started['settlement_id']}", headers=operator
    )


async def all_invoices(client: RetryingClient, operator: dict[str, str]) -> list[dict[str, Any]]:
    return await _pages(client, operator, "invoicing", "/v1/invoices", "items")


async def payments_of(
    client: RetryingClient, operator: dict[str, str], provider: str
) -> list[dict[str, Any]]:
    return await _pages(
        client, operator, "invoicing", f"/v1/providers/{provider}/payments", "payments"
    )


async def _first(client: RetryingClient, operator: dict[str, str], status: str) -> bool:
    page = await client.expect(
        200,
        "invoicing",
        "GET",
        "/v1/invoices",
        params={"status": status, "limit": 1},
        headers=operator,
    )
    return bool(page["items"])


async def _pages(
    client: RetryingClient, operator: dict[str, str], service: str, path: str, key: str
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = await client.expect(
            200, service, "GET", path, params={"offset": offset, "limit": PAGE}, headers=operator
        )
        items.extend(page[key])
        offset = page["next_offset"]
    return items
