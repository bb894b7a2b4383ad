"""Privacy: no national register or BIS number in clear in a log line (non-negotiable 9)."""

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from mediprima_contracts.testing.factories import random_bis_number, random_gp_riziv, random_ssin
from servicekit.db import create_engine
from servicekit.logging import configure_logging
from servicekit.privacy import mask_national_numbers

REGISTER_NUMBER = "85073003328"


def test_a_register_number_keeps_only_its_last_four_digits() -> None:
    assert mask_national_numbers(f"ssin={REGISTER_NUMBER}.") == "ssin=*******3328."
    assert mask_national_numbers("85.07.30-033.28 again") == "*******3328 again"


def test_bis_numbers_are_masked_and_numbers_failing_the_check_are_kept() -> None:
    bis = random_bis_number()
    not_a_person = "85073003329"  # check digits off by one

    assert bis not in mask_national_numbers(f"/v1/persons/{bis}/decisions")
    assert mask_national_numbers(not_a_person) == not_a_person
    assert mask_national_numbers(f"{REGISTER_NUMBER}0") == f"{REGISTER_NUMBER}0"  # 12 digits


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(service="privacy-test", stream=stream)
    yield stream
    structlog.reset_defaults()
    logging.getLogger().handlers.clear()


def test_no_log_line_shows_a_national_number(output: io.StringIO) -> None:
    ssin, gp = random_ssin(), random_gp_riziv()
    log = structlog.get_logger()

    log.info("consultation.recorded", ssin=ssin, numbers=[ssin], provider=gp)
    try:
        raise ValueError(f"INSERT failed, parameters ('{ssin}', 3)")
    except ValueError:
        log.exception("consumer.failed")
    logging.getLogger("uvicorn.access").info('"GET /v1/persons/%s/decisions HTTP/1.1" 200', ssin)

    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert len(lines) == 3
    text = json.dumps(lines)
    assert ssin not in text
    assert f"*******{ssin[-4:]}" in str(lines[0]["ssin"])
    assert "INSERT failed" in str(lines[1]["exception"])
    assert "GET /v1/persons/*******" in str(lines[2]["event"])


async def test_a_database_error_names_its_statement_but_not_the_values(tmp_path: Path) -> None:
    ssin = random_ssin()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'privacy.db'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE people (ssin TEXT PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO people VALUES (:ssin)"), {"ssin": ssin})
        with pytest.raises(IntegrityError) as refused:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO people VALUES (:ssin)"), {"ssin": ssin})
    finally:
        await engine.dispose()

    assert "INSERT INTO people" in str(refused.value)
    assert ssin not in str(refused.value)
