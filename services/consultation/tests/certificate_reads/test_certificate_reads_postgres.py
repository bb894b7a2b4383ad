"""C-04 on PostgreSQL: a read of another author's certificate is recorded in the read's own
transaction; the author's own reads are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from consultation.main import service
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.auth import Role
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service

from ..certificates.test_certificates_api import certificate

PATH = "/v1/urgent-aid-certificates"


@pytest.mark.postgres
async def test_c04_reads_by_others_are_recorded_on_postgresql(tmp_path: Path) -> None:
    tokens = TokenFactory.create(tmp_path / "keys")
    ssin, author, reader = random_ssin(), random_gp_riziv(), random_gp_riziv()
    async with postgres_database("consult_reads") as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as client:
            filed = await client.post(
                PATH, json=certificate(ssin), headers=tokens.headers(Role.GP, author)
            )
            number = filed.json()["certificate_number"]
            await client.get(PATH, params={"ssin": ssin}, headers=tokens.headers(Role.GP, author))
            await client.get(f"{PATH}/{number}", headers=tokens.headers(Role.GP, author))
            searched = await client.get(
                PATH, params={"ssin": ssin}, headers=tokens.headers(Role.GP, reader)
            )
            versions = await client.get(
                f"{PATH}/{number}/versions", headers=tokens.headers(Role.GP, reader)
            )
            trail = await client.get(
                f"{PATH}/reads",
                params={"ssin": ssin},
                headers=tokens.headers(Role.OPERATOR, "operator-1"),
            )

    assert filed.status_code == 201
    assert searched.status_code == versions.status_code == 200
    assert trail.json()["total"] == 2
    assert [
        (item["reader"], item["reader_role"], item["endpoint"], item["certificate_numbers"])
        for item in trail.json()["items"]
    ] == [(reader, "gp", "versions", [number]), (reader, "gp", "search", [number])]
    assert {item["ssin"] for item in trail.json()["items"]} == {ssin}
