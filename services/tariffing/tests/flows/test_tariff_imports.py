"""Operators import tariff files: every row checked, all or nothing, overlaps refused (T-05)."""

import httpx

from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.auth import Role
from servicekit.testing import TokenFactory

HEADER = (
    "code,valid_from,valid_until,fee,reimbursement,reimbursement_preferential,"
    "patient_share,provider_types,description\n"
)
CLOSE_2026 = (
    "101032,2026-01-01,2026-12-31,33.51,29.51,32.51,4.00,gp,"
    "SAMPLE DATA - GP consultation at the practice with global medical record\n"
)
NEW_2027 = "101032,2027-01-01,,34.25,30.25,33.25,4.00,gp,SAMPLE DATA - indexed 2027\n"
NEW_CODE = "109999,2027-01-01,,12.00,10.00,11.00,2.00,gp|specialist,SAMPLE DATA - a new code\n"


async def upload(client: httpx.AsyncClient, tokens: TokenFactory, body: str) -> httpx.Response:
    return await client.post(
        "/v1/tariff-imports",
        content=body.encode(),
        headers={**tokens.headers(Role.OPERATOR, "ops"), "Content-Type": "text/csv"},
    )


async def fee_on(client: httpx.AsyncClient, tokens: TokenFactory, code: str, day: str) -> object:
    response = await client.get(
        f"/v1/nomenclature/{code}",
        params={"date": day},
        headers=tokens.headers(Role.OPERATOR, "ops"),
    )
    return response.json().get("fee") if response.status_code == 200 else response.status_code


async def test_t05_an_import_closes_the_open_period_and_adds_the_next_year(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await upload(client, tokens, HEADER + CLOSE_2026 + NEW_2027 + NEW_CODE)

    assert response.status_code == 200
    assert response.json() == {"imported": 3, "skipped": 0, "errors": []}
    assert await fee_on(client, tokens, "101032", "2026-12-31") == "33.51"
    assert await fee_on(client, tokens, "101032", "2027-01-01") == "34.25"
    assert await fee_on(client, tokens, "109999", "2027-03-01") == "12.00"


async def test_t05_importing_the_same_file_again_skips_every_row(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    body = HEADER + CLOSE_2026 + NEW_2027
    await upload(client, tokens, body)

    again = await upload(client, tokens, body)

    assert again.status_code == 200
    assert again.json() == {"imported": 0, "skipped": 2, "errors": []}


async def test_t05_a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    bad_amount = "109998,2027-01-01,,12.005,10.00,11.00,2.00,gp,bad amount\n"
    bad_parts = "109997,2027-01-01,,12.00,10.00,11.00,3.00,gp,parts do not add up\n"
    bad_type = "109996,2027-01-01,,12.00,10.00,11.00,2.00,plumber,unknown provider type\n"

    response = await upload(client, tokens, HEADER + NEW_CODE + bad_amount + bad_parts + bad_type)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["imported"], problem["skipped"]) == (0, 0)
    assert [(error["field"], error["rule"], error["code"]) for error in problem["errors"]] == [
        ("rows.3.fee", "T-01", "tariff.amount_format"),
        ("rows.4.fee", "T-02", "tariff.parts_mismatch"),
        ("rows.5.provider_types", "T-06", "tariff.provider_type_unknown"),
    ]
    assert await fee_on(client, tokens, "109999", "2027-03-01") == 404


async def test_t05_a_period_overlapping_a_stored_one_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    overlapping = "101032,2026-07-01,,34.00,30.00,33.00,4.00,gp,mid-year change without closing\n"

    response = await upload(client, tokens, HEADER + NEW_CODE + overlapping)

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["rule"], error["code"], error["field"]) == (
        "T-05",
        "tariff.period_overlap",
        "rows.3.valid_from",
    )
    assert await fee_on(client, tokens, "109999", "2027-03-01") == 404


async def test_t05_two_overlapping_rows_in_one_file_are_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    twice = NEW_CODE + NEW_CODE.replace("2027-01-01", "2027-06-01")

    response = await upload(client, tokens, HEADER + twice)

    assert response.status_code == 422
    assert [error["code"] for error in response.json()["errors"]] == ["tariff.period_overlap"]


async def test_t05_a_file_without_the_columns_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await upload(client, tokens, "code,fee\n101032,30.00\n")

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "tariff.columns"


async def test_t05_only_operators_import_tariffs(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.post(
        "/v1/tariff-imports",
        content=(HEADER + NEW_CODE).encode(),
        headers={**tokens.headers(Role.GP, random_gp_riziv()), "Content-Type": "text/csv"},
    )

    assert response.status_code == 403


async def test_t05_a_row_with_an_open_quote_or_a_huge_field_is_that_rows_problem_not_a_500(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    open_quote = '101032,2027-01-01,,34.25,30.25,33.25,4.00,gp,"SAMPLE DATA - never closed\n'
    huge = "109999,2027-01-01,,12.00,10.00,11.00,2.00,gp," + "x" * (200 * 1024) + "\n"

    response = await upload(client, tokens, HEADER + open_quote + NEW_CODE + huge)

    assert response.status_code == 422
    assert [
        (error["rule"], error["code"], error["field"]) for error in response.json()["errors"]
    ] == [
        ("T-05", "tariff.malformed_row", "rows.2"),
        ("T-05", "tariff.malformed_row", "rows.4"),
    ]
    assert await fee_on(client, tokens, "109999", "2027-03-01") == 404  # all or nothing


async def test_t01_an_amount_with_a_huge_exponent_is_that_rows_problem_not_a_500(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    huge_fee = "109998,2027-01-01,,1e999999999,10.00,11.00,2.00,gp,SAMPLE DATA - huge fee\n"

    response = await upload(client, tokens, HEADER + huge_fee)

    assert response.status_code == 422
    assert [
        (error["rule"], error["code"], error["field"]) for error in response.json()["errors"]
    ] == [("T-01", "tariff.amount_format", "rows.2.fee")]
