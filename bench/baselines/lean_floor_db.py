"""The lean floor's database: the same decisions as the services' read models, its own tables."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from bench.seed.decisions import SeededDecision

SCHEMA = """
CREATE TABLE decision_versions (
    decision_number varchar(12) NOT NULL,
    version integer NOT NULL,
    ssin varchar(11) NOT NULL,
    snapshot json NOT NULL,
    PRIMARY KEY (decision_number, version)
);
CREATE INDEX ix_decision_versions_ssin ON decision_versions (ssin);
CREATE TABLE consultations (
    consultation_id uuid PRIMARY KEY,
    provider varchar(11) NOT NULL,
    ssin varchar(11) NOT NULL,
    care_date date NOT NULL,
    answer json NOT NULL,
    consulted_at timestamptz NOT NULL
);
CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    topic varchar(200) NOT NULL,
    key varchar(200) NOT NULL,
    payload text NOT NULL,
    created_at timestamptz NOT NULL,
    published_at timestamptz
);
CREATE INDEX ix_outbox_published_at ON outbox (published_at);
"""


async def prepare(dsn: str, decisions: Sequence[SeededDecision]) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(SCHEMA)
        await connection.copy_records_to_table(
            "decision_versions",
            columns=["decision_number", "version", "ssin", "snapshot"],
            records=[
                (item.decision_number, 1, item.ssin, item.snapshot_json) for item in decisions
            ],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
