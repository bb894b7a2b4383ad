"""An unreachable database is an outage to wait out; a fault in the work is not."""

import asyncpg
import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError

from servicekit.outages import is_outage


def _raised_from(cause: BaseException) -> RuntimeError:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise RuntimeError("while applying the event") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    "error",
    [
        ConnectionResetError(104, "Connection reset by peer"),
        ConnectionRefusedError(111, "Connection refused"),
        InterfaceError("SELECT 1", {}, Exception("connection is closed")),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        _raised_from(ConnectionResetError(104, "Connection reset by peer")),
    ],
)
def test_a_database_out_of_reach_is_an_outage(error: BaseException) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("this event cannot be applied"),
        IntegrityError("INSERT", {}, Exception("duplicate key")),
        _raised_from(KeyError("unknown code")),
    ],
)
def test_a_fault_in_the_work_is_not(error: BaseException) -> None:
    assert not is_outage(error)
