from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from invoicing.payments import delays, service, statements
from invoicing.payments.schemas import PaymentDelayReport, PaymentRunResult, ProviderStatement
from mediprima_contracts.values import BOUNDED_MONTH_PATTERN, YearMonth
from servicekit.auth import Principal, Role, require
from servicekit.db import Database
from servicekit.http import DbReadSession
from servicekit.paging import Offset

router = APIRouter(tags=["payments"])

Operator = Annotated[Principal, require(Role.OPERATOR)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


# A run commits provider by provider (see payments.service), so it takes the database rather
# than the request's single transaction.
AppDatabase = Annotated[Database, Depends(_database)]


@router.post("/v1/payment-runs", response_model=PaymentRunResult)
async def run_payments(database: AppDatabase, caller: Operator) -> PaymentRunResult:
    """Pay every accepted, unpaid line (I-05): one payment per provider, each line exactly
    once, less what the provider owes back for credited paid lines; calling it again (or after a
    crash) pays only what is still unpaid. Runs also start on `MEDIPRIMA_PAYMENT_RUN_SCHEDULE`."""
    return await service.run_payments(database)


@router.get("/v1/providers/{riziv}/payments", response_model=ProviderStatement)
async def provider_payments(
    session: DbReadSession,
    caller: Reader,
    riziv: Annotated[str, Path(pattern=r"^\d{8}(\d{3})?$", description="The provider.")],
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ProviderStatement:
    """The provider's payment statement (a GP its own, operators any): each payment with its
    lines' amount, the recoveries it offset (by credit reference) and the balance carried; the
    recoveries still open. Newest payment first."""
    return await statements.provider_statement(
        session, provider=riziv, caller=caller, offset=offset, limit=limit
    )


@router.get("/v1/payment-delays", response_model=PaymentDelayReport)
async def payment_delays(
    session: DbReadSession,
    caller: Operator,
    month: Annotated[str, Query(pattern=BOUNDED_MONTH_PATTERN, examples=["2026-11"])],
) -> PaymentDelayReport:
    """I-05: how long after submission the lines paid in `month` (UTC) were paid, against the
    targets (under 4 days on average, at most 8)."""
    return await delays.payment_delays(session, month=YearMonth(month))
