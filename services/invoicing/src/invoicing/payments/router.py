from typing import Annotated

from fastapi import APIRouter, Depends, Request

from invoicing.payments import service
from invoicing.payments.service import PaymentRunResult
from servicekit.auth import Principal, Role, require
from servicekit.db import Database

router = APIRouter(prefix="/v1/payment-runs", tags=["payments"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


# A run commits provider by provider (see payments.service), so it takes the database rather
# than the request's single transaction.
AppDatabase = Annotated[Database, Depends(_database)]


@router.post("", response_model=PaymentRunResult)
async def run_payments(database: AppDatabase, caller: Operator) -> PaymentRunResult:
    """Pay every accepted, unpaid line (I-05): one payment per provider, each line exactly
    once; calling it again (or after a crash) pays only what is still unpaid."""
    return await service.run_payments(database)
