from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response

from invoicing.invoices.statuses import PaymentRunStatus
from invoicing.payments import delays, runs, service, statements
from invoicing.payments.schemas import (
    PaymentDelayReport,
    PaymentRunPage,
    PaymentRunView,
    ProviderStatement,
)
from mediprima_contracts.values import BOUNDED_MONTH_PATTERN, YearMonth
from servicekit.auth import Principal, Role, require
from servicekit.db import Database
from servicekit.http import DbReadSession
from servicekit.openapi_links import link, links
from servicekit.paging import Offset
from servicekit.prefer import RESPOND_ASYNC, PreferHeader, prefers_respond_async

router = APIRouter(tags=["payments"])

Operator = Annotated[Principal, require(Role.OPERATOR)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


# A run commits provider by provider (see payments.service), so it takes the database rather
# than the request's single transaction.
AppDatabase = Annotated[Database, Depends(_database)]


_RUN_LINK = links(
    GetPaymentRun=link("get", "/v1/payment-runs/{run_id}", run_id="$response.body#/run_id")
)
_LOCATION = {
    "Location": {
        "description": "The run: `/v1/payment-runs/{run_id}`.",
        "schema": {"type": "string"},
    }
}


@router.post(
    "/v1/payment-runs",
    response_model=PaymentRunView,
    responses={
        200: {**_RUN_LINK, "headers": _LOCATION},
        202: {
            "model": PaymentRunView,
            "description": "Started (`Prefer: respond-async`): follow it at `Location`.",
            "headers": _LOCATION,
            **_RUN_LINK,
        },
    },
)
async def run_payments(
    database: AppDatabase,
    caller: Operator,
    response: Response,
    background: BackgroundTasks,
    prefer: PreferHeader = None,
) -> PaymentRunView:
    """Pay every accepted, unpaid line (I-05): one payment per provider, each line exactly
    once, less what the provider owes back for credited paid lines; calling it again (or after a
    crash) pays only what is still unpaid. Runs also start on `MEDIPRIMA_PAYMENT_RUN_SCHEDULE`.

    Answers `200` with what the run paid once it is done; with `Prefer: respond-async`, `202` at
    once with the run as it starts, to follow at `Location`. A run already going (another
    operator's, or the schedule's) is joined rather than doubled: the answer names that run."""
    if prefers_respond_async(prefer):
        run_id = await service.start_run(database)
        background.add_task(service.pay_run_in_background, database, run_id)
        async with database.reading() as session:
            view = await runs.get_run(session, run_id=run_id)
        response.status_code = 202
        response.headers["Preference-Applied"] = RESPOND_ASYNC
    else:
        view = await service.run_payments(database)
    response.headers["Location"] = f"/v1/payment-runs/{view.run_id}"
    return view


@router.get("/v1/payment-runs", response_model=PaymentRunPage)
async def list_payment_runs(
    session: DbReadSession,
    caller: Operator,
    status: PaymentRunStatus | None = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PaymentRunPage:
    """Payment runs, newest first, each with its progress; `status=running` finds the run
    still paying (or crashed, waiting to be resumed)."""
    return await runs.list_runs(session, status=status, offset=offset, limit=limit)


@router.get("/v1/payment-runs/{run_id}", response_model=PaymentRunView)
async def get_payment_run(
    session: DbReadSession,
    caller: Operator,
    run_id: Annotated[str, Path(max_length=36, description="The run's id.")],
) -> PaymentRunView:
    """One run: its status, progress so far (each provider counts once its payment is
    committed) and the payment made to each provider. An unknown id answers 404."""
    return await runs.get_run(session, run_id=run_id)


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
